// The `vigil seg` subcommands (dispatched by the `vigil-seg` program, main.cc).
#pragma once

namespace vigil::seg {

int RunSegEvalCommand(int argc, char** argv);
int RunSegRunCommand(int argc, char** argv);
int RunSegStressCommand(int argc, char** argv);

}  // namespace vigil::seg
