// Entry points of the `vigil` subcommands, one per area of the tree. Each takes argv with argv[0]
// being the subcommand's name and returns the process exit code (0 ok, 1 failure, 2 usage).
#pragma once

namespace vigil {

int RunBenchCommand(int argc, char** argv);
int RunCompileCommand(int argc, char** argv);
int RunInspectCommand(int argc, char** argv);
int RunQuantReportCommand(int argc, char** argv);
int RunRunCommand(int argc, char** argv);
int RunSegCommand(int argc, char** argv);
int RunVersionCommand(int argc, char** argv);

// Regulatory evidence (regulatory/).
int RunChangeCommand(int argc, char** argv);
int RunReportCommand(int argc, char** argv);
int RunSbomCommand(int argc, char** argv);
int RunTraceCommand(int argc, char** argv);

// Secure model updates (ota/).
namespace ota {
int RunDeviceCommand(int argc, char** argv);
int RunKeysCommand(int argc, char** argv);
int RunPackageCommand(int argc, char** argv);
int RunUpdateServerCommand(int argc, char** argv);
}  // namespace ota

}  // namespace vigil
