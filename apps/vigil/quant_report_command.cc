// vigil quant-report: what INT8 costs, layer by layer, on the user's own evaluation data.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "apps/vigil/commands.h"
#include "compiler/compile.h"
#include "compiler/emit/model_file_writer.h"
#include "compiler/quant/quant_report.h"
#include "host/build_info.h"
#include "host/command_line.h"
#include "host/error.h"
#include "host/loaded_model.h"

namespace vigil {

int RunQuantReportCommand(int argc, char** argv) {
  CommandLine cli("vigil quant-report",
                  "Quantize a model to int8 and report per-layer SQNR and cosine similarity "
                  "against float32, worst first.");
  std::string input, calib, eval, calib_method = "minmax", keep_fp32;
  int top = 20;
  bool json = false;
  cli.Positional("MODEL.onnx", &input, "the ONNX model");
  cli.Option("", "--calib", &calib, "DATA", "calibration samples (.npy or directory)");
  cli.Option("", "--eval", &eval, "DATA", "evaluation samples, other than the calibration ones");
  cli.Option("", "--calib-method", &calib_method, "M",
             "minmax | percentile[:P] | entropy (default minmax)");
  cli.Option("", "--keep-fp32", &keep_fp32, "OP,...", "ops to leave in float32 (mixed precision)");
  cli.Option("", "--top", &top, "N", "layers to list (default 20; all with --json)",
             IntegerRange{0, INT32_MAX});
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (calib.empty() || eval.empty()) throw HostError("--calib and --eval are both required");

  CompileOptions options;
  options.quantize_int8 = true;
  options.calibration_data = calib;
  options.calibration = quant::ParseCalibrationMethod(calib_method);
  options.calibration.progress = !json;
  for (size_t start = 0; !keep_fp32.empty() && start <= keep_fp32.size();) {
    size_t comma = keep_fp32.find(',', start);
    options.quantization.keep_fp32.insert(
        keep_fp32.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  CompileReport report;
  ir::Graph graph = ImportAndOptimize(input, options, &report);
  std::unique_ptr<schema::ModelT> fp32 = LowerToModel(graph, options, input, report.source_sha256);
  std::vector<uint8_t> fp32_bytes = BuildModelFile(*fp32);
  quant::QuantizedModel int8 = QuantizeLoweredModel(*fp32, options, &report);
  std::vector<uint8_t> int8_bytes = BuildModelFile(*int8.model);
  LoadedModel float_model = LoadedModel::FromBytes(fp32_bytes, "float32 model");
  LoadedModel int8_model = LoadedModel::FromBytes(int8_bytes, "int8 model");
  quant::SampleSet samples =
      quant::LoadSamples(eval, quant::ModelInputs(float_model), "evaluation");
  quant::QuantizationAccuracy accuracy =
      quant::MeasureQuantization(float_model, int8_model, int8.int8_tensor_of, samples, !json);

  BuildInfo info = CurrentBuildInfo();
  nlohmann::json layers = nlohmann::json::array(), outputs = nlohmann::json::array();
  for (const auto& l : accuracy.layers) {
    layers.push_back({{"tensor", l.tensor},
                      {"op", l.op},
                      {"sqnr_db", std::isfinite(l.sqnr_db) ? l.sqnr_db : 999.0},
                      {"cosine", l.cosine},
                      {"elements", l.elements}});
  }
  for (const auto& o : accuracy.outputs) {
    nlohmann::json j = {{"name", o.name},
                        {"cosine", o.cosine},
                        {"sqnr_db", std::isfinite(o.sqnr_db) ? o.sqnr_db : 999.0}};
    if (o.argmax_agreement >= 0) j["argmax_agreement"] = o.argmax_agreement;
    outputs.push_back(j);
  }
  nlohmann::json j = {{"model", input},
                      {"calibration", quant::DescribeCalibration(options.calibration)},
                      {"calibration_samples", report.calibration_samples},
                      {"evaluation_samples", accuracy.samples},
                      {"int8_ops", report.int8_ops},
                      {"float_ops", report.float_ops},
                      {"fp32_file_bytes", fp32_bytes.size()},
                      {"int8_file_bytes", int8_bytes.size()},
                      {"fp32_arena_bytes", float_model.arena_bytes()},
                      {"int8_arena_bytes", int8_model.arena_bytes()},
                      {"outputs", outputs},
                      {"layers", layers},
                      {"commit", info.commit},
                      {"date", info.generated_at}};
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%s: int8 (%s, %zu calibration samples) vs float32 over %zu evaluation samples\n",
              input.c_str(), quant::DescribeCalibration(options.calibration).c_str(),
              report.calibration_samples, accuracy.samples);
  std::printf(
      "  file %zu -> %zu bytes (%.1f %%), arena %zu -> %zu bytes (%.1f %%)\n", fp32_bytes.size(),
      int8_bytes.size(),
      100.0 * static_cast<double>(int8_bytes.size()) / static_cast<double>(fp32_bytes.size()),
      float_model.arena_bytes(), int8_model.arena_bytes(),
      100.0 * static_cast<double>(int8_model.arena_bytes()) /
          static_cast<double>(float_model.arena_bytes()));
  for (const auto& o : accuracy.outputs) {
    std::printf("  output %s: cosine %.5f, SQNR %.1f dB", o.name.c_str(), o.cosine, o.sqnr_db);
    if (o.argmax_agreement >= 0)
      std::printf(", argmax agreement %.2f %%", 100.0 * o.argmax_agreement);
    std::printf("\n");
  }
  std::printf("\n  %-40s %-40s %10s %10s\n", "tensor (worst first)", "written by", "SQNR dB",
              "cosine");
  for (size_t i = 0; i < accuracy.layers.size() && static_cast<int>(i) < top; ++i) {
    const auto& l = accuracy.layers[i];
    std::printf("  %-40.40s %-40.40s %10.2f %10.5f\n", l.tensor.c_str(), l.op.c_str(), l.sqnr_db,
                l.cosine);
  }
  return 0;
}

}  // namespace vigil
