#include "compiler/compile.h"

#include <filesystem>

#include "compiler/emit/model_file_writer.h"
#include "compiler/import/onnx/onnx_shape_inference.h"
#include "compiler/lower/lowering.h"
#include "compiler/passes/passes.h"
#include "host/build_info.h"
#include "host/error.h"
#include "host/loaded_model.h"

namespace vigil {
namespace {

// Constant folding can reveal shapes (Shape of a now-static value) and shapes can enable more
// folding; a few rounds reach the fixed point of every exporter we have seen.
constexpr int kFoldRounds = 4;

void Record(CompileReport* report, const std::string& pass, int changed) {
  if (!report) return;
  for (PassCount& p : report->passes) {
    if (p.pass == pass) {
      p.changed += changed;
      return;
    }
  }
  report->passes.push_back({pass, changed});
}

std::unique_ptr<schema::IoInfoT> IoInfo(const ir::Graph& graph, const std::string& kind,
                                        const std::string& name) {
  auto info = std::make_unique<schema::IoInfoT>();
  info->name = name;
  auto get = [&](const std::string& field) {
    auto it = graph.metadata.find(kind + "." + name + "." + field);
    return it == graph.metadata.end() ? std::string() : it->second;
  };
  info->description = get("description");
  info->units = get("units");
  info->normalization = get("normalization");
  std::string rate = get("sample_rate_hz");
  if (!rate.empty()) info->sample_rate_hz = std::stof(rate);
  return info;
}

}  // namespace

void OptimizeGraph(ir::Graph& graph, CompileReport* report) {
  for (int round = 0; round < kFoldRounds; ++round) {
    int folded = passes::FoldConstants(graph);
    Record(report, "constant folding", folded);
    int ifs = passes::FoldConstantIfs(graph);
    Record(report, "constant If folding", ifs);
    folded += ifs;
    onnx_import::InferShapes(graph);
    if (folded == 0 && round > 0) break;
  }
  Record(report, "identity/dropout removal", passes::RemoveIdentities(graph));
  Record(report, "batchnorm folding", passes::FoldBatchNorms(graph));
  Record(report, "activation fusion", passes::FuseActivations(graph));
  Record(report, "dead node elimination", passes::EliminateDeadNodes(graph));
}

ir::Graph ImportAndOptimize(const std::string& onnx_path, const CompileOptions& options,
                            CompileReport* report) {
  std::string sha;
  ir::Graph graph = onnx_import::ImportFile(onnx_path, options.import, &sha);
  if (report) {
    report->source_sha256 = sha;
    report->onnx_nodes = static_cast<int>(graph.nodes.size());
  }
  try {
    OptimizeGraph(graph, report);
  } catch (const HostError& e) {
    throw HostError(onnx_path + ": " + e.what());
  }
  return graph;
}

std::unique_ptr<schema::ModelT> LowerToModel(const ir::Graph& graph, const CompileOptions& options,
                                             const std::string& source_name,
                                             const std::string& source_sha256) {
  auto model = std::make_unique<schema::ModelT>();
  try {
    lower::LowerGraph(graph, *model);
  } catch (const HostError& e) {
    throw HostError(source_name + ": " + e.what());
  }
  auto meta = std::make_unique<schema::MetadataT>();
  meta->model_name = !options.model_name.empty() ? options.model_name
                     : !graph.name.empty()       ? graph.name
                                           : std::filesystem::path(source_name).stem().string();
  meta->model_version =
      !options.model_version.empty() ? options.model_version : std::to_string(graph.model_version);
  meta->description = graph.doc_string;
  meta->source_sha256 = source_sha256;
  BuildInfo build = CurrentBuildInfo();
  meta->compiler_version = "vigil " + build.version + " (" + build.commit + ")";
  for (int32_t t : model->inputs)
    meta->inputs.push_back(IoInfo(graph, "input", model->tensors[t]->name));
  for (int32_t t : model->outputs)
    meta->outputs.push_back(IoInfo(graph, "output", model->tensors[t]->name));
  std::map<std::string, std::string> properties;
  for (const auto& [key, value] : graph.metadata) {
    if (key.rfind("input.", 0) != 0 && key.rfind("output.", 0) != 0) properties[key] = value;
  }
  for (const auto& [key, value] : options.properties)
    properties[key] = value;
  for (const auto& [key, value] : properties) {
    auto kv = std::make_unique<schema::KeyValueT>();
    kv->key = key;
    kv->value = value;
    meta->properties.push_back(std::move(kv));
  }
  model->metadata = std::move(meta);
  return model;
}

quant::QuantizedModel QuantizeLoweredModel(schema::ModelT& fp32, const CompileOptions& options,
                                           CompileReport* report) {
  if (options.calibration_data.empty())
    throw HostError("--quantize int8 needs calibration data (--calib DATA)");
  LoadedModel float_model = LoadedModel::FromBytes(BuildModelFile(fp32), "float32 model");
  quant::SampleSet samples =
      quant::LoadSamples(options.calibration_data, quant::ModelInputs(float_model), "calibration");
  std::vector<quant::TensorRange> ranges =
      quant::Calibrate(float_model, samples, options.calibration);
  quant::QuantizedModel q = quant::QuantizeModel(fp32, ranges, options.quantization);
  auto add_property = [&](const std::string& key, const std::string& value) {
    auto kv = std::make_unique<schema::KeyValueT>();
    kv->key = key;
    kv->value = value;
    q.model->metadata->properties.push_back(std::move(kv));
  };
  add_property("quantization", "int8 (docs/int8_spec.md)");
  add_property("calibration", quant::DescribeCalibration(options.calibration) + " over " +
                                  std::to_string(samples.samples.size()) + " samples");
  if (report) {
    report->calibration_samples = samples.samples.size();
    report->int8_ops = q.int8_ops;
    report->float_ops = q.float_ops;
  }
  return q;
}

std::vector<uint8_t> CompileOnnxFile(const std::string& onnx_path, const CompileOptions& options,
                                     CompileReport* report) {
  CompileReport local;
  if (!report) report = &local;
  ir::Graph graph = ImportAndOptimize(onnx_path, options, report);
  std::unique_ptr<schema::ModelT> model =
      LowerToModel(graph, options, onnx_path, report->source_sha256);
  std::vector<uint8_t> bytes;
  try {
    if (options.quantize_int8)
      model = std::move(QuantizeLoweredModel(*model, options, report).model);
    bytes = BuildModelFile(*model, &report->plan);
  } catch (const HostError& e) {
    throw HostError(onnx_path + ": " + e.what());
  }
  report->ops = static_cast<int>(model->operators.size());
  report->arena_bytes = model->arena_bytes;
  report->file_bytes = bytes.size();
  return bytes;
}

}  // namespace vigil
