// vigil compile: an ONNX model to a verified .vgl model file or C++ source.
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "apps/vigil/commands.h"
#include "compiler/compile.h"
#include "compiler/emit/c_source.h"
#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"

namespace vigil {
namespace {

// "x=1x3x256x256" -> {"x", {1, 3, 256, 256}}
std::pair<std::string, std::vector<int64_t>> ParseInputShape(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw HostError("--input-shape expects NAME=D1xD2x..., got '" + text + "'");
  std::vector<int64_t> dims;
  std::string rest = text.substr(eq + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t x = rest.find('x', start);
    std::string part = rest.substr(start, x == std::string::npos ? std::string::npos : x - start);
    // The runtime counts elements in int32, so no dimension can be larger.
    dims.push_back(
        ParseInteger("--input-shape " + text + ": dimension", part, IntegerRange{1, INT32_MAX}));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  return {text.substr(0, eq), dims};
}

}  // namespace

int RunCompileCommand(int argc, char** argv) {
  CommandLine cli("vigil compile",
                  "Compile an ONNX model into a verified Vigil model file (.vgl) or C++ source.");
  std::string input, output, emit = "vgl", name, version, quantize, calib, calib_method = "minmax",
                             keep_fp32;
  std::vector<std::string> shapes, properties;
  bool json = false, quiet = false;
  cli.Positional("MODEL.onnx", &input, "the ONNX model (opsets 7-17)");
  cli.Option("-o", "--output", &output, "FILE", "where to write the result (required)");
  cli.Option("", "--emit", &emit, "vgl|c",
             "output form: a model file, or C++ source with an aligned array");
  cli.Repeated("", "--input-shape", &shapes, "NAME=1x3x256",
               "static shape for an input with symbolic dimensions");
  cli.Option("", "--name", &name, "NAME",
             "model name in the metadata (default: the ONNX graph name)");
  cli.Option("", "--model-version", &version, "V", "model version in the metadata");
  cli.Repeated("", "--property", &properties, "KEY=VALUE", "extra metadata");
  cli.Option("", "--quantize", &quantize, "int8", "post-training quantization (docs/int8_spec.md)");
  cli.Option("", "--calib", &calib, "DATA",
             "calibration samples: an .npy [N, *input] or a directory of .npy files");
  cli.Option("", "--calib-method", &calib_method, "M",
             "minmax | percentile[:P] | entropy (default minmax)");
  cli.Option("", "--keep-fp32", &keep_fp32, "OP,...", "ops (ONNX node names) to leave in float32");
  cli.Flag("", "--json", &json, "print the compile report as JSON");
  cli.Flag("-q", "--quiet", &quiet, "no progress bar");
  cli.Epilog(
      "Examples:\n  vigil compile ecg_cnn.onnx -o ecg_cnn.vgl\n"
      "  vigil compile ecg_cnn.onnx --quantize int8 --calib beats.npy --calib-method entropy -o "
      "ecg_cnn_int8.vgl\n"
      "  vigil compile ecg_cnn.onnx --emit c -o ecg_cnn_model.h");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (output.empty()) throw HostError("-o/--output is required");
  if (emit != "vgl" && emit != "c")
    throw HostError("--emit must be 'vgl' or 'c', got '" + emit + "'");
  CompileOptions options;
  for (const std::string& s : shapes)
    options.import.input_shapes.insert(ParseInputShape(s));
  for (const std::string& p : properties) {
    size_t eq = p.find('=');
    if (eq == std::string::npos) throw HostError("--property expects KEY=VALUE, got '" + p + "'");
    options.properties[p.substr(0, eq)] = p.substr(eq + 1);
  }
  options.model_name = name;
  options.model_version = version;
  if (!quantize.empty()) {
    if (quantize != "int8") throw HostError("--quantize supports 'int8', got '" + quantize + "'");
    options.quantize_int8 = true;
    options.calibration_data = calib;
    options.calibration = quant::ParseCalibrationMethod(calib_method);
    options.calibration.progress = !quiet && !json;
    for (size_t start = 0; !keep_fp32.empty() && start <= keep_fp32.size();) {
      size_t comma = keep_fp32.find(',', start);
      options.quantization.keep_fp32.insert(
          keep_fp32.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else if (!calib.empty() || !keep_fp32.empty()) {
    throw HostError("--calib and --keep-fp32 only apply with --quantize int8");
  }
  CompileReport report;
  std::vector<uint8_t> bytes = CompileOnnxFile(input, options, &report);
  if (emit == "c") {
    LoadedModel loaded = LoadedModel::FromBytes(bytes, input);
    std::string symbol = SanitizeSymbol(std::filesystem::path(output).stem().string());
    WriteFileAtomic(output,
                    EmitCSource(bytes, report.arena_bytes, symbol,
                                "Source: " + std::filesystem::path(input).filename().string() +
                                    " (sha256 " + report.source_sha256 + ")."));
  } else {
    WriteFileAtomic(output, bytes);
  }
  nlohmann::json passes = nlohmann::json::object();
  for (const PassCount& p : report.passes)
    passes[p.pass] = p.changed;
  nlohmann::json j = {{"input", input},
                      {"output", output},
                      {"emit", emit},
                      {"source_sha256", report.source_sha256},
                      {"onnx_nodes", report.onnx_nodes},
                      {"ops", report.ops},
                      {"passes", passes},
                      {"arena_bytes", report.arena_bytes},
                      {"activation_bytes", report.plan.activation_bytes},
                      {"unshared_activation_bytes", report.plan.sum_of_tensor_bytes},
                      {"in_place_ops", report.plan.in_place_ops},
                      {"model_file_bytes", report.file_bytes}};
  if (options.quantize_int8) {
    j["quantization"] = {{"calibration", quant::DescribeCalibration(options.calibration)},
                         {"calibration_samples", report.calibration_samples},
                         {"int8_ops", report.int8_ops},
                         {"float_ops", report.float_ops}};
  }
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("compiled %s -> %s\n  %d ONNX nodes -> %d ops\n", input.c_str(), output.c_str(),
                report.onnx_nodes, report.ops);
    for (const PassCount& p : report.passes)
      std::printf("  %-26s %d\n", p.pass.c_str(), p.changed);
    if (options.quantize_int8) {
      std::printf("  int8: %d ops (calibration %s over %zu samples); float32: %zu ops\n",
                  report.int8_ops, quant::DescribeCalibration(options.calibration).c_str(),
                  report.calibration_samples, report.float_ops.size());
      for (const std::string& f : report.float_ops)
        std::printf("    float32: %s\n", f.c_str());
    }
    std::printf(
        "  arena %llu bytes (activations unshared: %llu; %d ops in place)\n  model file %zu "
        "bytes\n",
        static_cast<unsigned long long>(report.arena_bytes),
        static_cast<unsigned long long>(report.plan.sum_of_tensor_bytes), report.plan.in_place_ops,
        report.file_bytes);
  }
  return 0;
}

}  // namespace vigil
