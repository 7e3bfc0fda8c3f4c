#include "testing/int8/int8_cases.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "compiler/quant/quant_params.h"
#include "testing/op_test_model.h"

namespace vigil::testing {
namespace {

using schema::DType;

int64_t Count(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> Shape64(const std::vector<int32_t>& s) {
  return std::vector<int64_t>(s.begin(), s.end());
}

// Random int8 values with the extremes forced in, so saturation and zero points get exercised.
NpyArray RandomInt8(const std::vector<int32_t>& shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(static_cast<size_t>(Count(shape)));
  for (uint8_t& b : bytes)
    b = static_cast<uint8_t>(rng() & 0xFF);
  if (bytes.size() > 2) {
    bytes[0] = static_cast<uint8_t>(int8_t{-128});
    bytes[1] = static_cast<uint8_t>(int8_t{127});
  }
  return NpyArray::FromBytes(NpyType::kInt8, bytes, Shape64(shape));
}

std::vector<uint8_t> Int8Bytes(const std::vector<int8_t>& v) {
  return std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(v.data()),
                              reinterpret_cast<const uint8_t*>(v.data()) + v.size());
}

std::vector<uint8_t> Int32Bytes(const std::vector<int32_t>& v) {
  std::vector<uint8_t> out(v.size() * 4);
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

std::vector<int8_t> RandomWeights(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> w(static_cast<size_t>(n));
  for (int8_t& v : w)
    v = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
  return w;
}

int Int8Tensor(OpTestModel& m, int tensor, float scale, int32_t zero_point) {
  m.Quantize(tensor, {scale}, {zero_point});
  return tensor;
}

int Input8(OpTestModel& m, std::vector<int32_t> shape, float scale, int32_t zp) {
  return Int8Tensor(m, m.Input(shape, DType::Int8), scale, zp);
}
int Output8(OpTestModel& m, std::vector<int32_t> shape, float scale, int32_t zp) {
  return Int8Tensor(m, m.Output(shape, DType::Int8), scale, zp);
}

Int8Case Finish(const std::string& name, OpTestModel& m, std::vector<NpyArray> inputs) {
  return {name, m.Build(), std::move(inputs)};
}

// Conv with per-channel weights, one all-zero channel (scale 1 by the spec's rule) with a bias.
Int8Case ConvCase(const std::string& name, std::vector<int32_t> in_shape, int32_t out_channels,
                  int32_t group, std::vector<int32_t> kernel, std::vector<int32_t> strides,
                  std::vector<int32_t> pads, std::vector<int32_t> dilations, float in_scale,
                  int32_t in_zp, float out_scale, int32_t out_zp, schema::ActivationKind activation,
                  uint32_t seed) {
  OpTestModel m;
  const int32_t in_channels = in_shape[1];
  std::vector<int32_t> w_shape = {out_channels, in_channels / group};
  w_shape.insert(w_shape.end(), kernel.begin(), kernel.end());
  std::vector<int8_t> w = RandomWeights(Count(w_shape), seed);
  const int64_t per_channel = Count(w_shape) / out_channels;
  std::fill(w.begin(), w.begin() + per_channel, int8_t{0});
  std::vector<float> w_scales;
  std::vector<int32_t> bias;
  std::mt19937 rng(seed + 1);
  for (int32_t c = 0; c < out_channels; ++c) {
    w_scales.push_back(c == 0 ? 1.0f : 0.002f * static_cast<float>(1 + c % 5));
    bias.push_back(static_cast<int32_t>(rng() % 20001) - 10000);
  }
  int x = Input8(m, in_shape, in_scale, in_zp);
  int wt = m.ConstantBytes(w_shape, DType::Int8, Int8Bytes(w));
  std::vector<int32_t> zeros(static_cast<size_t>(out_channels), 0);
  m.Quantize(wt, w_scales, zeros, 0);
  int b = m.ConstantBytes({out_channels}, DType::Int32, Int32Bytes(bias));
  std::vector<int32_t> out_shape = {in_shape[0], out_channels};
  for (size_t d = 0; d < kernel.size(); ++d) {
    const int32_t span =
        in_shape[2 + d] + pads[d] + pads[kernel.size() + d] - dilations[d] * (kernel[d] - 1) - 1;
    out_shape.push_back(span / strides[d] + 1);
  }
  int y = Output8(m, out_shape, out_scale, out_zp);
  m.AddOp(OpCode::kConv, {x, wt, b}, {y},
          ConvParams(strides, pads, dilations, group, {}, activation));
  return Finish(name, m, {RandomInt8(in_shape, seed + 2)});
}

Int8Case BinaryCase(const std::string& name, OpCode op, std::vector<int32_t> a_shape,
                    std::vector<int32_t> b_shape, std::vector<int32_t> y_shape, float sa,
                    int32_t za, float sb, int32_t zb, float sy, int32_t zy,
                    schema::ActivationKind activation, uint32_t seed) {
  OpTestModel m;
  int a = Input8(m, a_shape, sa, za);
  int b = Input8(m, b_shape, sb, zb);
  int y = Output8(m, y_shape, sy, zy);
  m.AddOp(op, {a, b}, {y}, ElementwiseParams(activation));
  return Finish(name, m, {RandomInt8(a_shape, seed), RandomInt8(b_shape, seed + 1)});
}

Int8Case TableCase(const std::string& name, OpCode op, const quant::ActivationFunction& f,
                   quant::AffineQuant in, quant::AffineQuant out, schema::OpParamsUnion params,
                   uint32_t seed) {
  OpTestModel m;
  int x = Input8(m, {1, 4, 8, 8}, in.scale, in.zero_point);
  int table = m.ConstantBytes({256}, DType::Int8, Int8Bytes(quant::ActivationTable(f, in, out)));
  m.Quantize(table, {out.scale}, {out.zero_point});
  int y = Output8(m, {1, 4, 8, 8}, out.scale, out.zero_point);
  m.AddOp(op, {x, table}, {y}, std::move(params));
  // Every possible input value appears at least once.
  NpyArray input = RandomInt8({1, 4, 8, 8}, seed);
  for (int q = 0; q < 256; ++q)
    input.data[static_cast<size_t>(q)] = static_cast<uint8_t>(q);
  return Finish(name, m, {input});
}

}  // namespace

std::vector<Int8Case> MakeInt8Cases() {
  std::vector<Int8Case> cases;
  using AK = schema::ActivationKind;

  // Convolutions: zero points at both ends, asymmetric pads, dilation, depthwise, 1-d.
  cases.push_back(ConvCase("conv2d_zero_points_at_extremes", {1, 3, 9, 7}, 4, 1, {3, 3}, {1, 1},
                           {1, 0, 2, 1}, {1, 1}, 0.05f, -128, 0.5f, 127, AK::None, 1));
  cases.push_back(ConvCase("conv2d_strided_dilated_relu", {1, 4, 11, 10}, 6, 1, {3, 2}, {2, 3},
                           {2, 1, 0, 1}, {2, 1}, 0.02f, 3, 0.1f, -7, AK::Relu, 2));
  cases.push_back(ConvCase("conv2d_depthwise_clip", {1, 6, 8, 8}, 6, 6, {3, 3}, {2, 2},
                           {1, 1, 1, 1}, {1, 1}, 0.1f, 0, 0.05f, 0, AK::Clip, 3));
  cases.push_back(ConvCase("conv1d_grouped", {1, 4, 40}, 8, 2, {5}, {1}, {2, 2}, {1}, 0.03f, 10,
                           0.2f, -20, AK::None, 4));
  // Tiny and huge requantization multipliers: output scales far below and far above the input's.
  cases.push_back(ConvCase("conv_huge_multiplier_saturates", {1, 2, 6, 6}, 3, 1, {3, 3}, {1, 1},
                           {1, 1, 1, 1}, {1, 1}, 0.5f, 0, 1e-6f, 0, AK::None, 5));
  cases.push_back(ConvCase("conv_tiny_multiplier", {1, 2, 6, 6}, 3, 1, {3, 3}, {1, 1}, {1, 1, 1, 1},
                           {1, 1}, 1e-4f, 0, 1e4f, -3, AK::None, 6));

  // ConvTranspose: per-channel (one group) and grouped per-tensor.
  for (int grouped = 0; grouped < 2; ++grouped) {
    OpTestModel m;
    const int32_t group = grouped ? 2 : 1;
    int x = Input8(m, {1, 4, 5, 5}, 0.04f, -5);
    std::vector<int32_t> w_shape = {4, 6 / group, 3, 3};
    int w = m.ConstantBytes(w_shape, DType::Int8,
                            Int8Bytes(RandomWeights(Count(w_shape), 10 + grouped)));
    if (grouped)
      m.Quantize(w, {0.01f}, {0});
    else
      m.Quantize(w, {0.01f, 0.02f, 0.005f, 0.03f, 0.01f, 0.002f}, {0, 0, 0, 0, 0, 0}, 1);
    int b = m.ConstantBytes({6}, DType::Int32, Int32Bytes({100, -200, 300, -400, 500, 0}));
    int y = Output8(m, {1, 6, 11, 11}, 0.08f, 12);
    m.AddOp(OpCode::kConvTranspose, {x, w, b}, {y},
            ConvParams({2, 2}, {1, 1, 0, 0}, {1, 1}, group, {1, 1}));
    cases.push_back(Finish(grouped ? "conv_transpose_grouped" : "conv_transpose_per_channel", m,
                           {RandomInt8({1, 4, 5, 5}, 12)}));
  }

  // Gemm with transposed per-channel weights and a Relu clamp; MatMul with broadcast batches.
  {
    OpTestModel m;
    int a = Input8(m, {3, 16}, 0.05f, -2);
    int w = m.ConstantBytes({10, 16}, DType::Int8, Int8Bytes(RandomWeights(160, 20)));
    std::vector<float> scales;
    for (int i = 0; i < 10; ++i)
      scales.push_back(0.001f * static_cast<float>(i + 1));
    m.Quantize(w, scales, std::vector<int32_t>(10, 0), 0);
    int b =
        m.ConstantBytes({10}, DType::Int32, Int32Bytes({5, -5, 50, -50, 500, -500, 0, 1, -1, 7}));
    int y = Output8(m, {3, 10}, 0.01f, -128);
    schema::GemmParamsT p;
    p.trans_b = true;
    p.activation = std::make_unique<schema::ActivationT>();
    p.activation->kind = AK::Relu;
    schema::OpParamsUnion u;
    u.Set(std::move(p));
    m.AddOp(OpCode::kGemm, {a, w, b}, {y}, std::move(u));
    cases.push_back(Finish("gemm_transposed_relu", m, {RandomInt8({3, 16}, 21)}));
  }
  {
    OpTestModel m;
    int a = Input8(m, {2, 1, 4, 6}, 0.03f, 5);
    int b = Input8(m, {3, 6, 5}, 0.07f, -9);
    int y = Output8(m, {2, 3, 4, 5}, 0.4f, 1);
    m.AddOp(OpCode::kMatMul, {a, b}, {y});
    cases.push_back(Finish("matmul_broadcast_batches", m,
                           {RandomInt8({2, 1, 4, 6}, 30), RandomInt8({3, 6, 5}, 31)}));
  }

  // Add/Sub with scales 100 apart, Mul that saturates, broadcasting.
  cases.push_back(BinaryCase("add_scales_far_apart", OpCode::kAdd, {1, 3, 4, 4}, {1, 3, 4, 4},
                             {1, 3, 4, 4}, 0.001f, -128, 0.1f, 127, 0.05f, 0, AK::None, 40));
  cases.push_back(BinaryCase("sub_broadcast_relu", OpCode::kSub, {1, 3, 4, 4}, {3, 1, 1},
                             {1, 3, 4, 4}, 0.02f, 7, 0.03f, -7, 0.04f, -30, AK::Relu, 41));
  cases.push_back(BinaryCase("mul_saturates", OpCode::kMul, {2, 8}, {8}, {2, 8}, 0.5f, 0, 0.5f, 0,
                             0.01f, 0, AK::None, 42));

  // Concat of inputs with other parameters than the output (one with the same, which is copied).
  {
    OpTestModel m;
    int a = Input8(m, {1, 2, 3, 3}, 0.1f, 0);
    int b = Input8(m, {1, 3, 3, 3}, 0.05f, -128);
    int c = Input8(m, {1, 1, 3, 3}, 0.2f, 10);
    int y = Output8(m, {1, 6, 3, 3}, 0.1f, 0);
    m.AddOp(OpCode::kConcat, {a, b, c}, {y}, AxisParams(1));
    cases.push_back(Finish("concat_requantizing", m,
                           {RandomInt8({1, 2, 3, 3}, 50), RandomInt8({1, 3, 3, 3}, 51),
                            RandomInt8({1, 1, 3, 3}, 52)}));
  }

  // Pools: ceil mode, count_include_pad with rounding ties, global average with negative sums.
  {
    OpTestModel m;
    int x = Input8(m, {1, 2, 7, 7}, 0.1f, 3);
    int y = Output8(m, {1, 2, 4, 4}, 0.1f, 3);
    m.AddOp(OpCode::kMaxPool, {x}, {y}, PoolParams({2, 2}, {2, 2}, {0, 0, 0, 0}));
    cases.push_back(Finish("max_pool_ceil_mode", m, {RandomInt8({1, 2, 7, 7}, 60)}));
  }
  for (int include_pad = 0; include_pad < 2; ++include_pad) {
    OpTestModel m;
    int x = Input8(m, {1, 3, 6, 6}, 0.1f, -11);
    int y = Output8(m, {1, 3, 3, 3}, 0.1f, -11);
    m.AddOp(OpCode::kAveragePool, {x}, {y},
            PoolParams({3, 3}, {2, 2}, {1, 1, 1, 1}, include_pad == 1));
    NpyArray in = RandomInt8({1, 3, 6, 6}, 61);
    // A window of two values summing to an odd number: the average is a tie (x.5).
    in.data[0] = 3;
    in.data[1] = 4;
    cases.push_back(
        Finish(include_pad ? "average_pool_count_include_pad" : "average_pool_ties", m, {in}));
  }
  {
    OpTestModel m;
    int x = Input8(m, {1, 5, 2, 3}, 0.1f, 0);
    int y = Output8(m, {1, 5, 1, 1}, 0.1f, 0);
    m.AddOp(OpCode::kGlobalAveragePool, {x}, {y});
    NpyArray in = RandomInt8({1, 5, 2, 3}, 62);
    const int8_t negative_tie[6] = {-1, -2, 0, 0, 0, 0};  // sum -3 over 6: exactly -0.5
    std::memcpy(in.data.data(), negative_tie, 6);
    cases.push_back(Finish("global_average_pool_negative_tie", m, {in}));
  }

  // Resize: each nearest rounding, and linear with two coordinate transformations, up and down.
  struct ResizeSpec {
    const char* name;
    schema::ResizeMode mode;
    schema::CoordinateTransform transform;
    schema::NearestRounding rounding;
    std::vector<int32_t> out;
  };
  const ResizeSpec resizes[] = {
      {"resize_nearest_round_prefer_floor",
       schema::ResizeMode::Nearest,
       schema::CoordinateTransform::HalfPixel,
       schema::NearestRounding::RoundPreferFloor,
       {1, 2, 10, 6}},
      {"resize_nearest_floor_asymmetric",
       schema::ResizeMode::Nearest,
       schema::CoordinateTransform::Asymmetric,
       schema::NearestRounding::Floor,
       {1, 2, 10, 6}},
      {"resize_linear_half_pixel_up",
       schema::ResizeMode::Linear,
       schema::CoordinateTransform::HalfPixel,
       schema::NearestRounding::RoundPreferFloor,
       {1, 2, 10, 8}},
      {"resize_linear_align_corners_down",
       schema::ResizeMode::Linear,
       schema::CoordinateTransform::AlignCorners,
       schema::NearestRounding::RoundPreferFloor,
       {1, 2, 3, 2}},
  };
  for (const ResizeSpec& r : resizes) {
    OpTestModel m;
    int x = Input8(m, {1, 2, 5, 4}, 0.05f, -3);
    int y = Output8(m, r.out, 0.05f, -3);
    schema::ResizeParamsT p;
    p.mode = r.mode;
    p.coordinate_transform = r.transform;
    p.nearest_rounding = r.rounding;
    p.scales = {1.0f, 1.0f, static_cast<float>(r.out[2]) / 5.0f,
                static_cast<float>(r.out[3]) / 4.0f};
    schema::OpParamsUnion u;
    u.Set(std::move(p));
    m.AddOp(OpCode::kResize, {x}, {y}, std::move(u));
    cases.push_back(Finish(r.name, m, {RandomInt8({1, 2, 5, 4}, 70)}));
  }

  // Softmax by its exp table: a row of equal values, rows of large spread.
  for (float scale : {0.01f, 0.5f}) {
    OpTestModel m;
    int x = Input8(m, {4, 10}, scale, 0);
    int table = m.ConstantBytes({256}, DType::Int32, Int32Bytes(quant::SoftmaxExpTable(scale)));
    int y = Output8(m, {4, 10}, 1.0f / 256.0f, -128);
    m.AddOp(OpCode::kSoftmax, {x, table}, {y}, AxisParams(1));
    NpyArray in = RandomInt8({4, 10}, 80);
    std::fill(in.data.begin(), in.data.begin() + 10, uint8_t{7});
    cases.push_back(
        Finish(scale < 0.1f ? "softmax_small_scale_equal_row" : "softmax_large_scale", m, {in}));
  }

  // Table activations over every input value.
  {
    quant::ActivationFunction f;
    f.sigmoid = true;
    cases.push_back(TableCase("sigmoid_table", OpCode::kSigmoid, f, {0.06f, -10},
                              quant::kUnitIntervalOutput, {}, 90));
    quant::ActivationFunction t;
    t.tanh = true;
    cases.push_back(
        TableCase("tanh_table", OpCode::kTanh, t, {0.03f, 20}, quant::kTanhOutput, {}, 91));
    quant::ActivationFunction l;
    l.kind = AK::LeakyRelu;
    l.alpha = 0.1f;
    cases.push_back(TableCase("leaky_relu_table", OpCode::kLeakyRelu, l, {0.05f, 0}, {0.04f, -100},
                              ActivationParams(AK::LeakyRelu, 0, 0, 0.1f), 92));
  }

  // Quantize: exact ties (x / s = k + 0.5), saturation, infinities and NaN; Dequantize back.
  {
    OpTestModel m;
    int x = m.Input({1, 12});
    int q = Int8Tensor(m, m.Intermediate({1, 12}, DType::Int8), 0.5f, -3);
    int y = m.Output({1, 12});
    m.AddOp(OpCode::kQuantize, {x}, {q});
    m.AddOp(OpCode::kDequantize, {q}, {y});
    const float values[12] = {0.25f,
                              -0.25f,
                              0.75f,
                              -0.75f,
                              1.25f,
                              100.0f,
                              -100.0f,
                              std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::quiet_NaN(),
                              3.3f,
                              -63.0f};
    cases.push_back(
        Finish("quantize_ties_saturation_nan", m, {NpyArray::FromFloat(values, {1, 12})}));
  }

  // Layout ops on int8 bytes.
  {
    OpTestModel m;
    int x = Input8(m, {2, 3, 4}, 0.1f, 5);
    int t = Int8Tensor(m, m.Intermediate({4, 2, 3}, DType::Int8), 0.1f, 5);
    int p = Int8Tensor(m, m.Intermediate({6, 3, 4}, DType::Int8), 0.1f, 5);
    int y = Output8(m, {3, 3, 2}, 0.1f, 5);
    schema::TransposeParamsT tp;
    tp.perm = {2, 0, 1};
    schema::OpParamsUnion tu;
    tu.Set(std::move(tp));
    m.AddOp(OpCode::kTranspose, {x}, {t}, std::move(tu));
    schema::PadParamsT pp;
    pp.pads = {1, 1, 0, 1, 0, 1};
    schema::OpParamsUnion pu;
    pu.Set(std::move(pp));
    m.AddOp(OpCode::kPad, {t}, {p}, std::move(pu));
    schema::SliceParamsT sp;
    sp.starts = {5, 0, 3};
    sp.steps = {-2, 1, -2};
    schema::OpParamsUnion su;
    su.Set(std::move(sp));
    m.AddOp(OpCode::kSlice, {p}, {y}, std::move(su));
    cases.push_back(Finish("transpose_pad_slice", m, {RandomInt8({2, 3, 4}, 100)}));
  }
  return cases;
}

}  // namespace vigil::testing
