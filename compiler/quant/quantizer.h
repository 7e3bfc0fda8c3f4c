// Post-training quantization of a lowered float32 model into Vigil's int8 form (docs/int8_spec.md).
//
// Every op with an int8 kernel runs in int8 unless named in keep_fp32; weights become per-channel
// symmetric int8 and biases int32, activations per-tensor int8 with the calibrated ranges. Graph
// inputs and outputs stay float32: Quantize and Dequantize ops sit at the edges of each int8 region
// and around ops left in float32 ("float islands").
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "compiler/quant/calibrator.h"
#include "vgl_generated.h"

namespace vigil::quant {

struct QuantizeOptions {
  std::set<std::string> keep_fp32;  // op (ONNX node) names to leave in float32
};

struct QuantizedModel {
  std::unique_ptr<schema::ModelT> model;
  // For each tensor of the float model: its int8 counterpart in `model` (or -1), for per-layer
  // accuracy reports.
  std::vector<int> int8_tensor_of;
  std::vector<std::string> float_ops;  // ops left in float32, with the reason
  int int8_ops = 0;
};

// `fp32` is a lowered float model; `ranges` has one entry per tensor of it (Calibrate).
QuantizedModel QuantizeModel(const schema::ModelT& fp32, const std::vector<TensorRange>& ranges,
                             const QuantizeOptions& options);

}  // namespace vigil::quant
