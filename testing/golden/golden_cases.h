// Golden cases for the reference kernels: the inputs, parameters and expected output of one op (or
// of a small whole model), computed independently of Vigil (PyTorch, NumPy or ONNX's own reference
// code, in float64) by testing/golden/generate_goldens.py, which writes
// testing/golden/kernels/<op>_golden.h and testing/golden/models/<model>_golden.h.
//
// The generator writes C++20 designated initialisers, so the field order below is the contract
// with it: reordering a struct here without regenerating fails to compile rather than mixing
// fields up. Tensors are row-major float values; an absent optional tensor has no values.
#pragma once

#include <cstdint>
#include <vector>

#include "vgl_generated.h"

namespace vigil::testing::golden {

struct Tensor {
  std::vector<int32_t> shape;
  std::vector<float> values;

  bool present() const { return !values.empty(); }
};

// A fused activation, or a standalone activation op's parameters (Clip bounds, LeakyRelu alpha).
struct Activation {
  schema::ActivationKind kind = schema::ActivationKind::None;
  float min = 0.0f, max = 0.0f, alpha = 0.01f;
};

// Conv and ConvTranspose.
struct ConvCase {
  const char* name;
  Tensor x, w, bias;
  std::vector<int32_t> strides, pads, dilations;
  int32_t group = 1;
  std::vector<int32_t> output_padding;
  Activation activation;
  Tensor y;
};

// MaxPool and AveragePool; ceil mode shows in y's shape.
struct PoolCase {
  const char* name;
  Tensor x;
  std::vector<int32_t> kernel, strides, pads, dilations;
  bool count_include_pad = false;
  Tensor y;
};

// One input, one output: Relu, LeakyRelu, Clip, Sigmoid, Tanh, GlobalAveragePool.
struct UnaryCase {
  const char* name;
  Tensor x;
  Activation params;
  Tensor y;
};

// Add, Sub, Mul.
struct BinaryCase {
  const char* name;
  Tensor a, b;
  bool b_constant = false;
  Activation activation;
  Tensor y;
};

// B and C are constants, as the compiler lowers a Linear layer.
struct GemmCase {
  const char* name;
  Tensor a, b, c;
  float alpha = 1.0f, beta = 1.0f;
  bool trans_a = false, trans_b = false;
  Activation activation;
  Tensor y;
};

struct MatMulCase {
  const char* name;
  Tensor a, b;
  bool b_constant = false;
  Tensor y;
};

struct SoftmaxCase {
  const char* name;
  Tensor x;
  int32_t axis;
  Tensor y;
};

struct ConcatCase {
  const char* name;
  std::vector<Tensor> inputs;
  int32_t axis;
  Tensor y;
};

struct TransposeCase {
  const char* name;
  Tensor x;
  std::vector<int32_t> perm;
  Tensor y;
};

struct PadCase {
  const char* name;
  Tensor x;
  std::vector<int32_t> pads;
  schema::PadMode mode = schema::PadMode::Constant;
  float value = 0.0f;
  Tensor y;
};

// Starts and steps as the compiler resolves them (one per axis); y's shape gives the counts.
struct SliceCase {
  const char* name;
  Tensor x;
  std::vector<int32_t> starts, steps;
  Tensor y;
};

struct ResizeCase {
  const char* name;
  Tensor x;
  schema::ResizeMode mode;
  schema::CoordinateTransform transform;
  schema::NearestRounding rounding;
  std::vector<float> scales;
  Tensor y;
};

// Quantize (x float, y int8 values) and Dequantize (x int8 values, y float); (scale, zero_point)
// quantize the int8 side.
struct QuantizeCase {
  const char* name;
  Tensor x;
  float scale;
  int32_t zero_point;
  Tensor y;
};

// Whole models (testing/golden/cases_models.py); golden_models.cc builds the same graphs.
struct TinyUNetCase {
  const char* name;
  Tensor x;
  Tensor enc1_w, enc1_b, enc2_w, enc2_b, up_w, up_b, dec_w, dec_b, side_w, side_b, head_w, head_b;
  Tensor y;
};

struct EcgCnnCase {
  const char* name;
  Tensor x;
  Tensor conv1_w, conv1_b, conv2_w, conv2_b, fc_w, fc_b;
  Tensor y;
};

}  // namespace vigil::testing::golden
