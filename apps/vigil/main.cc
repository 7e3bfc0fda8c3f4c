// `vigil`: the command-line tool. Git-style subcommands; host tools report errors by exception, which
// this entry point turns into one line on stderr and exit status 1.
#include <cstdio>
#include <exception>
#include <vector>

#include "apps/vigil/commands.h"
#include "host/command_line.h"
#include "host/error.h"

int main(int argc, char** argv) {
  const std::vector<vigil::Subcommand> commands = {
      {"bench", "time a model's Invoke: median and p90 latency, arena bytes",
       vigil::RunBenchCommand},
      {"change", "record and approve a controlled change (PCCP) of a model",
       vigil::RunChangeCommand},
      {"compile", "compile an ONNX model into a verified model file or C++ source",
       vigil::RunCompileCommand},
      {"device", "model updates on a device: install, confirm, revert, audit log",
       vigil::ota::RunDeviceCommand},
      {"ecg", "ECG arrhythmia monitor: eval (EC57 on MIT-BIH), monitor, stress",
       vigil::RunEcgCommand},
      {"inspect", "show a model file's ops, tensors, parameters, MACs and arena",
       vigil::RunInspectCommand},
      {"keys", "generate signing keys for update packages", vigil::ota::RunKeysCommand},
      {"package", "create, sign, verify and inspect model update packages",
       vigil::ota::RunPackageCommand},
      {"quant-report", "per-layer SQNR and cosine of int8 against float32",
       vigil::RunQuantReportCommand},
      {"report", "write reports: `report vnv`, the verification and validation report",
       vigil::RunReportCommand},
      {"run", "run a model on .npy inputs, write .npy outputs", vigil::RunRunCommand},
      {"sbom", "write the software bill of materials (CycloneDX 1.5 JSON)", vigil::RunSbomCommand},
      {"seg", "gland segmentation: eval on GlaS, run on a camera/video/images, stress",
       vigil::RunSegCommand},
      {"trace", "trace requirements to tests and hazards to risk controls", vigil::RunTraceCommand},
      {"update-server", "serve model update packages over HTTP",
       vigil::ota::RunUpdateServerCommand},
      {"version", "print the version, commit and build of this tool", vigil::RunVersionCommand},
  };
  try {
    return vigil::DispatchSubcommand("vigil", commands, argc, argv);
  } catch (const vigil::HostError& e) {
    std::fprintf(stderr, "vigil %s: error: %s\n", argc > 1 ? argv[1] : "", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil %s: internal error: %s\n", argc > 1 ? argv[1] : "", e.what());
    return 1;
  }
}
