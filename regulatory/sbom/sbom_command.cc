// `vigil sbom`: the software bill of materials of this build (CycloneDX 1.5 JSON).
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/command_line.h"
#include "regulatory/regulatory_commands.h"
#include "regulatory/sbom/cyclonedx_bom.h"

namespace vigil {

int RunSbomCommand(int argc, char** argv) {
  namespace fs = std::filesystem;
  CommandLine cli("vigil sbom",
                  "Write the software bill of materials (CycloneDX 1.5 JSON) of this build.");
  regulatory::SbomInputs in;
  std::string output = "bom.json";
  const char* data_env = std::getenv("VIGIL_DATA_DIR");
  in.data_dir = data_env ? data_env : "../shared/data";
  cli.Option("", "--package", &in.package_dir, "DIR",
             "an update package: list and hash every file in it");
  cli.Option("", "--build-dir", &in.build_dir, "DIR", "the CMake/Ninja build (default: build)");
  cli.Repeated("", "--binary", &in.binaries, "FILE",
               "a shipped binary (default: BUILD/bin/vigil, BUILD/lib/libvigil_runtime.a,\n"
               "BUILD/bin/vigil-seg and BUILD/firmware/bin/vigil_model_runner.elf, the firmware, "
               "when built)");
  cli.Option("", "--models", &in.models_dir, "DIR",
             "models/<name>/model_card.json (default: models)");
  cli.Option("", "--data-dir", &in.data_dir, "DIR",
             "data set folders with SOURCE.md (default: $VIGIL_DATA_DIR "
             "or ../shared/data)");
  cli.Option("-o", "--output", &output, "FILE", "where to write the BOM (default: bom.json)");
  cli.Epilog(
      "Third-party libraries come from the binaries (ldd; for a static image such as the "
      "firmware,\n"
      "its link run again with -Wl,--trace) and the Ninja build (archives and headers),\n"
      "each named by its Debian package (dpkg -S, dpkg-query) with the license of its copyright "
      "file.");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (in.binaries.empty()) {
    // The host tool, the runtime library, vigil-seg (part of the tool: `vigil seg` runs it), and
    // the Cortex-M firmware image when the build made it.
    for (const char* b : {"/bin/vigil", "/lib/libvigil_runtime.a", "/bin/vigil-seg",
                          "/firmware/bin/vigil_model_runner.elf"}) {
      if (fs::exists(in.build_dir + b)) in.binaries.push_back(in.build_dir + b);
    }
  }
  nlohmann::json bom = regulatory::BuildCycloneDxBom(in);
  WriteFileAtomic(output, bom.dump(2) + "\n");
  std::map<std::string, int> by_type;
  for (const nlohmann::json& c : bom["components"])
    ++by_type[c["type"].get<std::string>()];
  std::printf("sbom: %zu components (", bom["components"].size());
  bool first = true;
  for (const auto& [type, n] : by_type) {
    std::printf("%s%d %s", first ? "" : ", ", n, type.c_str());
    first = false;
  }
  std::printf("), %zu toolchain tools -> %s\n", bom["formulation"][0]["components"].size(),
              output.c_str());
  return 0;
}

}  // namespace vigil
