// vigil inspect: a model file's ops, tensors, sizes and metadata.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "apps/vigil/commands.h"
#include "apps/vigil/model_summary.h"
#include "host/command_line.h"
#include "host/loaded_model.h"

namespace vigil {

int RunInspectCommand(int argc, char** argv) {
  CommandLine cli("vigil inspect",
                  "Show a model file's ops, tensors, parameters, MACs, arena size and metadata.");
  std::string path;
  bool json = false;
  cli.Positional("MODEL.vgl", &path, "the model file");
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  LoadedModel model = LoadedModel::FromFile(path);
  ModelSummary s = SummarizeModel(model.model(), model.file_bytes());
  if (json) {
    // Names in a model file are not checked for UTF-8; JSON output replaces invalid bytes.
    std::printf("%s\n",
                ToJson(s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%s  (%s, version %s)\n", path.c_str(), s.metadata.value("model_name", "").c_str(),
              s.metadata.value("model_version", "").c_str());
  std::printf("  compiled by %s from ONNX sha256 %s\n",
              s.metadata.value("compiler_version", "").c_str(),
              s.metadata.value("source_sha256", "").c_str());
  std::printf("  %zu ops, %lld parameters (%lld bytes), %lld MACs\n", s.ops.size(),
              static_cast<long long>(s.parameters), static_cast<long long>(s.parameter_bytes),
              static_cast<long long>(s.macs));
  std::printf("  arena %llu bytes (activations %llu), file %zu bytes\n\n",
              static_cast<unsigned long long>(s.arena_bytes),
              static_cast<unsigned long long>(s.activation_bytes), s.file_bytes);
  std::printf("  %-4s %-18s %-28s %14s  %s\n", "#", "op", "name", "MACs", "output");
  for (size_t i = 0; i < s.ops.size(); ++i) {
    const OpSummary& o = s.ops[i];
    const TensorSummary& out = s.tensors[static_cast<size_t>(o.outputs[0])];
    std::string shape;
    for (size_t d = 0; d < out.shape.size(); ++d)
      shape += (d ? "x" : "") + std::to_string(out.shape[d]);
    std::printf("  %-4zu %-18s %-28.28s %14lld  %s %s\n", i, o.op.c_str(), o.name.c_str(),
                static_cast<long long>(o.macs), shape.c_str(), out.dtype.c_str());
  }
  std::printf("\n  %-10s %-28s %-14s %-8s %10s %10s\n", "kind", "tensor", "shape", "dtype", "bytes",
              "offset");
  for (const TensorSummary& t : s.tensors) {
    if (t.kind == "constant") continue;
    std::string shape;
    for (size_t d = 0; d < t.shape.size(); ++d)
      shape += (d ? "x" : "") + std::to_string(t.shape[d]);
    std::printf("  %-10s %-28.28s %-14s %-8s %10lld %10lld\n", t.kind.c_str(), t.name.c_str(),
                shape.c_str(), t.dtype.c_str(), static_cast<long long>(t.bytes),
                static_cast<long long>(t.arena_offset));
  }
  return 0;
}

}  // namespace vigil
