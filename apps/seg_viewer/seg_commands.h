// The `vigil seg` subcommands (dispatched by RunSegCommand in seg_command.cc).
#pragma once

namespace vigil {

int RunSegCommand(int argc, char** argv);  // `vigil seg`, for the CLI table of apps/vigil

}  // namespace vigil

namespace vigil::seg {

int RunSegEvalCommand(int argc, char** argv);
int RunSegRunCommand(int argc, char** argv);
int RunSegStressCommand(int argc, char** argv);

}  // namespace vigil::seg
