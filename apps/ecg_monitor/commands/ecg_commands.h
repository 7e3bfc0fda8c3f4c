// `vigil ecg` and its `monitor` subcommand: the ECG front end, above both the monitor
// (apps/ecg_monitor) and the evaluation toolkit (apps/ecg_evaluation), whose `eval`, `features` and
// `stress` it dispatches to (apps/ecg_evaluation/evaluation_commands.h).
#pragma once

namespace vigil {

int RunEcgCommand(int argc, char** argv);  // `vigil ecg`, for the CLI table of apps/vigil

}  // namespace vigil

namespace vigil::ecg {

int RunEcgMonitorCommand(int argc, char** argv);

}  // namespace vigil::ecg
