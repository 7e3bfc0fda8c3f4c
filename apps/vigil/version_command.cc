#include <cstdio>

#include <nlohmann/json.hpp>

#include "apps/vigil/commands.h"
#include "host/build_info.h"
#include "host/command_line.h"
#include "vigil/interpreter.h"

namespace vigil {

int RunVersionCommand(int argc, char** argv) {
  CommandLine cli("vigil version", "Print the version, commit and build of this tool.");
  bool json = false;
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  BuildInfo info = CurrentBuildInfo();
  if (json) {
    nlohmann::json j = {{"version", info.version},
                        {"commit", info.commit},
                        {"compiler", info.compiler},
                        {"build_type", info.build_type},
                        {"model_format_version", kModelFormatVersion},
                        {"runtime_abi_version", kRuntimeAbiVersion}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("vigil %s (commit %s, %s, %s)\nmodel format %u, runtime ABI %u\n",
                info.version.c_str(), info.commit.c_str(), info.compiler.c_str(),
                info.build_type.c_str(), kModelFormatVersion, kRuntimeAbiVersion);
  }
  return 0;
}

}  // namespace vigil
