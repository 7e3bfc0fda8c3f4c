// The compiler's side of docs/int8_spec.md: choosing scales and zero points (section 6) and building
// the lookup tables the int8 activations and Softmax read (sections 5.10, 5.11).
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/quant/calibrator.h"
#include "vgl_generated.h"

namespace vigil::quant {

struct AffineQuant {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// Fixed output parameters of the spec's table ops.
constexpr AffineQuant kUnitIntervalOutput = {1.0f / 256.0f, -128};  // Sigmoid, Softmax
constexpr AffineQuant kTanhOutput = {1.0f / 128.0f, 0};

double RoundHalfAway(double x);

// Scale and zero point covering [min(lo, 0), max(hi, 0)] with 256 levels; a zero range becomes [0, 1].
AffineQuant ChooseActivationQuant(float lo, float hi);

// Symmetric int8 weights with one scale per index of `axis` (or one scale when axis < 0).
struct QuantizedWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;
  int axis = -1;
};
QuantizedWeights QuantizeWeights(const std::vector<float>& weights,
                                 const std::vector<int32_t>& shape, int axis);

// Bias of output channel c at scale input_scale * weight_scales[c] (one weight scale: all channels).
std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales);

// Elementwise values through an affine quantization (per tensor), for constants used as activations.
std::vector<int8_t> QuantizeValues(const std::vector<float>& values, AffineQuant q);

// The 256-entry table of an int8 activation: index q + 128 holds the output for input q.
struct ActivationFunction {
  schema::ActivationKind kind = schema::ActivationKind::None;  // None with `sigmoid`/`tanh` below
  bool sigmoid = false, tanh = false;
  float min = 0, max = 0, alpha = 0;
};
std::vector<int8_t> ActivationTable(const ActivationFunction& f, AffineQuant in, AffineQuant out);

// Softmax's Q16 exp table for an input scale.
std::vector<int32_t> SoftmaxExpTable(float input_scale);

}  // namespace vigil::quant
