// Entry points of the regulatory evidence commands (`vigil trace`, `vigil sbom`, `vigil report`,
// `vigil change`), one beside each library of regulatory/. apps/vigil/commands.h includes this
// header for the CLI table; regulatory/ itself depends on nothing under apps/.
#pragma once

namespace vigil {

int RunChangeCommand(int argc, char** argv);
int RunReportCommand(int argc, char** argv);
int RunSbomCommand(int argc, char** argv);
int RunTraceCommand(int argc, char** argv);

}  // namespace vigil
