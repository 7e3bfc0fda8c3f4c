// Entry points of the `vigil` subcommands. Each takes argv with argv[0] being the subcommand's name
// and returns the process exit code (0 ok, 1 failure, 2 usage).
//
// The commands of apps/vigil are declared here; every other area declares its own in its commands
// header, included below for the CLI table, so that no area depends on apps/vigil.
#pragma once

#include "apps/ecg_monitor/commands/ecg_commands.h"
#include "ota/commands/ota_commands.h"
#include "regulatory/regulatory_commands.h"

namespace vigil {

int RunBenchCommand(int argc, char** argv);
int RunCompileCommand(int argc, char** argv);
int RunInspectCommand(int argc, char** argv);
int RunQuantReportCommand(int argc, char** argv);
int RunRunCommand(int argc, char** argv);
int RunSegCommand(int argc, char** argv);  // runs the vigil-seg program (seg_program.cc)
int RunVersionCommand(int argc, char** argv);

}  // namespace vigil
