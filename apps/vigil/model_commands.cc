// vigil compile | inspect | run | bench: the model path from ONNX to a measured .vgl.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "apps/vigil/commands.h"
#include "apps/vigil/model_summary.h"
#include "compiler/compile.h"
#include "compiler/emit/c_source.h"
#include "host/atomic_file.h"
#include "host/build_info.h"
#include "host/command_line.h"
#include "host/error.h"
#include "host/loaded_model.h"
#include "host/npy.h"

namespace vigil {
namespace {

// "x=1x3x256x256" -> {"x", {1, 3, 256, 256}}
std::pair<std::string, std::vector<int64_t>> ParseInputShape(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw HostError("--input-shape expects NAME=D1xD2x..., got '" + text + "'");
  std::vector<int64_t> dims;
  std::string rest = text.substr(eq + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t x = rest.find('x', start);
    std::string part = rest.substr(start, x == std::string::npos ? std::string::npos : x - start);
    // The runtime counts elements in int32, so no dimension can be larger.
    dims.push_back(ParseInteger("--input-shape " + text + ": dimension", part, IntegerRange{1, INT32_MAX}));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  return {text.substr(0, eq), dims};
}

std::string ShapeText(const TensorView& v) {
  std::string s = "[";
  for (int i = 0; i < v.shape.rank; ++i) s += (i ? ", " : "") + std::to_string(v.shape.dims[i]);
  return s + "]";
}

}  // namespace

int RunCompileCommand(int argc, char** argv) {
  CommandLine cli("vigil compile", "Compile an ONNX model into a verified Vigil model file (.vgl) or C++ source.");
  std::string input, output, emit = "vgl", name, version, quantize, calib, calib_method = "minmax", keep_fp32;
  std::vector<std::string> shapes, properties;
  bool json = false, quiet = false;
  cli.Positional("MODEL.onnx", &input, "the ONNX model (opsets 7-17)");
  cli.Option("-o", "--output", &output, "FILE", "where to write the result (required)");
  cli.Option("", "--emit", &emit, "vgl|c", "output form: a model file, or C++ source with an aligned array");
  cli.Repeated("", "--input-shape", &shapes, "NAME=1x3x256", "static shape for an input with symbolic dimensions");
  cli.Option("", "--name", &name, "NAME", "model name in the metadata (default: the ONNX graph name)");
  cli.Option("", "--model-version", &version, "V", "model version in the metadata");
  cli.Repeated("", "--property", &properties, "KEY=VALUE", "extra metadata");
  cli.Option("", "--quantize", &quantize, "int8", "post-training quantization (docs/int8_spec.md)");
  cli.Option("", "--calib", &calib, "DATA", "calibration samples: an .npy [N, *input] or a directory of .npy files");
  cli.Option("", "--calib-method", &calib_method, "M", "minmax | percentile[:P] | entropy (default minmax)");
  cli.Option("", "--keep-fp32", &keep_fp32, "OP,...", "ops (ONNX node names) to leave in float32");
  cli.Flag("", "--json", &json, "print the compile report as JSON");
  cli.Flag("-q", "--quiet", &quiet, "no progress bar");
  cli.Epilog("Examples:\n  vigil compile ecg_cnn.onnx -o ecg_cnn.vgl\n"
             "  vigil compile ecg_cnn.onnx --quantize int8 --calib beats.npy --calib-method entropy -o ecg_cnn_int8.vgl\n"
             "  vigil compile ecg_cnn.onnx --emit c -o ecg_cnn_model.h");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (output.empty()) throw HostError("-o/--output is required");
  if (emit != "vgl" && emit != "c") throw HostError("--emit must be 'vgl' or 'c', got '" + emit + "'");
  CompileOptions options;
  for (const std::string& s : shapes) options.import.input_shapes.insert(ParseInputShape(s));
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
      options.quantization.keep_fp32.insert(keep_fp32.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
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
    WriteFileAtomic(output, EmitCSource(bytes, report.arena_bytes, symbol,
                                        "Source: " + std::filesystem::path(input).filename().string() +
                                            " (sha256 " + report.source_sha256 + ")."));
  } else {
    WriteFileAtomic(output, bytes);
  }
  nlohmann::json passes = nlohmann::json::object();
  for (const PassCount& p : report.passes) passes[p.pass] = p.changed;
  nlohmann::json j = {{"input", input}, {"output", output}, {"emit", emit},
                      {"source_sha256", report.source_sha256}, {"onnx_nodes", report.onnx_nodes},
                      {"ops", report.ops}, {"passes", passes}, {"arena_bytes", report.arena_bytes},
                      {"activation_bytes", report.plan.activation_bytes},
                      {"unshared_activation_bytes", report.plan.sum_of_tensor_bytes},
                      {"in_place_ops", report.plan.in_place_ops}, {"model_file_bytes", report.file_bytes}};
  if (options.quantize_int8) {
    j["quantization"] = {{"calibration", quant::DescribeCalibration(options.calibration)},
                         {"calibration_samples", report.calibration_samples}, {"int8_ops", report.int8_ops},
                         {"float_ops", report.float_ops}};
  }
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("compiled %s -> %s\n  %d ONNX nodes -> %d ops\n", input.c_str(), output.c_str(), report.onnx_nodes, report.ops);
    for (const PassCount& p : report.passes) std::printf("  %-26s %d\n", p.pass.c_str(), p.changed);
    if (options.quantize_int8) {
      std::printf("  int8: %d ops (calibration %s over %zu samples); float32: %zu ops\n", report.int8_ops,
                  quant::DescribeCalibration(options.calibration).c_str(), report.calibration_samples, report.float_ops.size());
      for (const std::string& f : report.float_ops) std::printf("    float32: %s\n", f.c_str());
    }
    std::printf("  arena %llu bytes (activations unshared: %llu; %d ops in place)\n  model file %zu bytes\n",
                static_cast<unsigned long long>(report.arena_bytes),
                static_cast<unsigned long long>(report.plan.sum_of_tensor_bytes), report.plan.in_place_ops,
                report.file_bytes);
  }
  return 0;
}

int RunInspectCommand(int argc, char** argv) {
  CommandLine cli("vigil inspect", "Show a model file's ops, tensors, parameters, MACs, arena size and metadata.");
  std::string path;
  bool json = false;
  cli.Positional("MODEL.vgl", &path, "the model file");
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  LoadedModel model = LoadedModel::FromFile(path);
  ModelSummary s = SummarizeModel(model.model(), model.file_bytes());
  if (json) {
    // Names in a model file are not checked for UTF-8; JSON output replaces invalid bytes.
    std::printf("%s\n", ToJson(s).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%s  (%s, version %s)\n", path.c_str(), s.metadata.value("model_name", "").c_str(),
              s.metadata.value("model_version", "").c_str());
  std::printf("  compiled by %s from ONNX sha256 %s\n", s.metadata.value("compiler_version", "").c_str(),
              s.metadata.value("source_sha256", "").c_str());
  std::printf("  %zu ops, %lld parameters (%lld bytes), %lld MACs\n", s.ops.size(), static_cast<long long>(s.parameters),
              static_cast<long long>(s.parameter_bytes), static_cast<long long>(s.macs));
  std::printf("  arena %llu bytes (activations %llu), file %zu bytes\n\n",
              static_cast<unsigned long long>(s.arena_bytes), static_cast<unsigned long long>(s.activation_bytes),
              s.file_bytes);
  std::printf("  %-4s %-18s %-28s %14s  %s\n", "#", "op", "name", "MACs", "output");
  for (size_t i = 0; i < s.ops.size(); ++i) {
    const OpSummary& o = s.ops[i];
    const TensorSummary& out = s.tensors[static_cast<size_t>(o.outputs[0])];
    std::string shape;
    for (size_t d = 0; d < out.shape.size(); ++d) shape += (d ? "x" : "") + std::to_string(out.shape[d]);
    std::printf("  %-4zu %-18s %-28.28s %14lld  %s %s\n", i, o.op.c_str(), o.name.c_str(),
                static_cast<long long>(o.macs), shape.c_str(), out.dtype.c_str());
  }
  std::printf("\n  %-10s %-28s %-14s %-8s %10s %10s\n", "kind", "tensor", "shape", "dtype", "bytes", "offset");
  for (const TensorSummary& t : s.tensors) {
    if (t.kind == "constant") continue;
    std::string shape;
    for (size_t d = 0; d < t.shape.size(); ++d) shape += (d ? "x" : "") + std::to_string(t.shape[d]);
    std::printf("  %-10s %-28.28s %-14s %-8s %10lld %10lld\n", t.kind.c_str(), t.name.c_str(), shape.c_str(),
                t.dtype.c_str(), static_cast<long long>(t.bytes), static_cast<long long>(t.arena_offset));
  }
  return 0;
}

int RunRunCommand(int argc, char** argv) {
  CommandLine cli("vigil run", "Run a model on .npy inputs and write its outputs as .npy.");
  std::string path;
  std::vector<std::string> inputs, outputs;
  cli.Positional("MODEL.vgl", &path, "the model file");
  cli.Repeated("-i", "--input", &inputs, "FILE.npy", "one per graph input, in order");
  cli.Repeated("-o", "--output", &outputs, "FILE.npy", "one per graph output, in order");
  if (auto code = cli.Parse(argc, argv)) return *code;
  LoadedModel model = LoadedModel::FromFile(path);
  Interpreter& interpreter = model.interpreter();
  if (static_cast<int>(inputs.size()) != interpreter.input_count()) {
    throw HostError("the model has " + std::to_string(interpreter.input_count()) + " input(s); got " +
                    std::to_string(inputs.size()) + " --input");
  }
  if (static_cast<int>(outputs.size()) != interpreter.output_count()) {
    throw HostError("the model has " + std::to_string(interpreter.output_count()) + " output(s); got " +
                    std::to_string(outputs.size()) + " --output");
  }
  for (int i = 0; i < interpreter.input_count(); ++i) {
    NpyArray array = ReadNpy(inputs[static_cast<size_t>(i)]);
    TensorView view = interpreter.input(i);
    std::vector<int64_t> expected(view.shape.dims, view.shape.dims + view.shape.rank);
    if (array.type != NpyType::kFloat32 || array.shape != expected) {
      throw HostError(inputs[static_cast<size_t>(i)] + ": input '" + interpreter.input_name(i) + "' must be float32 " +
                      ShapeText(view) + ", got " + NpyTypeDescr(array.type) + " " + ShapeToString(array.shape));
    }
    model.SetInput(i, array.ToFloat());
  }
  model.Invoke();
  // Every output staged before any is renamed into place: a failure leaves no partial set.
  StagedFiles files;
  for (int i = 0; i < interpreter.output_count(); ++i) {
    TensorView view = interpreter.output(i);
    std::vector<int64_t> shape(view.shape.dims, view.shape.dims + view.shape.rank);
    files.Stage(outputs[static_cast<size_t>(i)], SerializeNpy(NpyArray::FromFloat(model.Output(i), shape)));
  }
  files.Commit();
  return 0;
}

int RunBenchCommand(int argc, char** argv) {
  CommandLine cli("vigil bench", "Time Invoke of a model on random inputs (one thread): median, p90, arena bytes.");
  std::string path;
  int iterations = 200, warmup = 10;
  bool json = false;
  cli.Positional("MODEL.vgl", &path, "the model file");
  cli.Option("-n", "--iterations", &iterations, "N", "timed runs (default 200)", IntegerRange{1, 10000000});
  cli.Option("", "--warmup", &warmup, "N", "untimed runs first (default 10)", IntegerRange{0, 10000000});
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  LoadedModel model = LoadedModel::FromFile(path);
  std::mt19937 rng(1234);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int i = 0; i < model.interpreter().input_count(); ++i) {
    std::vector<float> values(static_cast<size_t>(model.interpreter().input(i).shape.ElementCount()));
    for (float& v : values) v = normal(rng);
    model.SetInput(i, values);
  }
  for (int i = 0; i < warmup; ++i) model.Invoke();
  std::vector<double> ms;
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    model.Invoke();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  auto percentile = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size() - 1) + 0.5))]; };
  double mean = 0;
  for (double v : ms) mean += v;
  mean /= static_cast<double>(ms.size());
  BuildInfo info = CurrentBuildInfo();
  nlohmann::json j = {{"model", path}, {"iterations", iterations}, {"warmup", warmup},
                      {"median_ms", percentile(0.5)}, {"p90_ms", percentile(0.9)}, {"min_ms", ms.front()},
                      {"mean_ms", mean}, {"arena_bytes", model.arena_bytes()}, {"model_file_bytes", model.file_bytes()},
                      {"threads", 1}, {"commit", info.commit}, {"date", info.generated_at}, {"host", info.host}};
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s: median %.4f ms, p90 %.4f ms, min %.4f ms over %d runs (1 thread); arena %zu bytes\n",
                path.c_str(), percentile(0.5), percentile(0.9), ms.front(), iterations, model.arena_bytes());
  }
  return 0;
}

}  // namespace vigil
