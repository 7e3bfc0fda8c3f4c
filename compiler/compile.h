// The compiler pipeline: ONNX file -> graph IR -> passes -> lowering -> memory plan -> .vgl bytes.
//
//   CompileOptions options;
//   CompileReport report;
//   std::vector<uint8_t> vgl = CompileOnnxFile("model.onnx", options, &report);
//
// Throws HostError naming the file, node and problem on any failure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/import/onnx/onnx_importer.h"
#include "compiler/ir/graph.h"
#include "compiler/plan/memory_planner.h"
#include "compiler/quant/calibrator.h"
#include "compiler/quant/quantizer.h"
#include "vgl_generated.h"

namespace vigil {

struct CompileOptions {
  onnx_import::ImportOptions import;
  std::string model_name;     // default: the ONNX graph name, else the file name
  std::string model_version;  // default: the ONNX model_version
  std::map<std::string, std::string> properties;  // extra metadata key/values

  // --quantize int8: calibrate on calibration_data, then quantize (docs/int8_spec.md).
  bool quantize_int8 = false;
  std::string calibration_data;
  quant::CalibrationOptions calibration;
  quant::QuantizeOptions quantization;
};

struct PassCount {
  std::string pass;
  int changed;
};

struct CompileReport {
  std::string source_sha256;
  int onnx_nodes = 0;
  std::vector<PassCount> passes;
  int ops = 0;
  MemoryPlanStats plan;
  uint64_t arena_bytes = 0;
  size_t file_bytes = 0;
  // With --quantize int8:
  size_t calibration_samples = 0;
  int int8_ops = 0;
  std::vector<std::string> float_ops;
};

// Calibrates the lowered float model and returns its int8 form (not yet planned).
quant::QuantizedModel QuantizeLoweredModel(schema::ModelT& fp32, const CompileOptions& options,
                                           CompileReport* report);

// The graph passes in order: constant folding with shape inference to a fixed point, identity
// removal, BatchNorm folding, activation fusion, dead-node elimination.
void OptimizeGraph(ir::Graph& graph, CompileReport* report);

// Import, then OptimizeGraph.
ir::Graph ImportAndOptimize(const std::string& onnx_path, const CompileOptions& options,
                            CompileReport* report);

// Lowering to the model object tree with metadata; not yet planned.
std::unique_ptr<schema::ModelT> LowerToModel(const ir::Graph& graph, const CompileOptions& options,
                                             const std::string& source_name,
                                             const std::string& source_sha256);

std::vector<uint8_t> CompileOnnxFile(const std::string& onnx_path, const CompileOptions& options,
                                     CompileReport* report = nullptr);

}  // namespace vigil
