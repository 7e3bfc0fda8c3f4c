// Conv: golden cases computed by torch in float64 (testing/golden/kernels/conv_golden.h: 1-d and
// 2-d, strides, asymmetric pads, dilation, groups, depthwise, fused activations), Prepare's
// rejections of shapes and parameters, each with its message, and the int8 1-d fast path against
// the general path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/conv_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class ConvGolden : public ::testing::TestWithParam<golden::ConvCase> {};

TEST_P(ConvGolden, MatchesTorch) {
  golden::GoldenModel m = golden::ConvModel(GetParam(), OpCode::kConv);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(Torch, ConvGolden, ::testing::ValuesIn(golden::kConvCases),
                         golden::CaseName());

// The rejection of `c` as a Conv model.
std::string Rejection(const golden::ConvCase& c) {
  golden::GoldenModel m = golden::ConvModel(c, OpCode::kConv);
  return golden::RejectionOf(*m.model);
}

golden::ConvCase Base() {
  return golden::kConvCases[1];
}  // 2x3x5x5, 4 filters, bias, pads 1

TEST(ConvPrepare, NamesTheOpAndRejectsAZeroStride) {
  golden::ConvCase c = Base();
  c.strides = {0, 1};
  EXPECT_THAT(
      Rejection(c),
      HasSubstr("op 0 'conv2d_batch2_bias_same_pads' (Conv): bad strides, pads or dilations"));
}

TEST(ConvPrepare, RejectsWindowArraysOfTheWrongLengthOrSign) {
  for (auto mutate : std::vector<void (*)(golden::ConvCase&)>{
           [](golden::ConvCase& c) {
             c.pads = {1, 1, -1, 1};
           },
           [](golden::ConvCase& c) {
             c.pads = {1, 1};
           },
           [](golden::ConvCase& c) {
             c.strides = {1, 1, 1};
           },
           [](golden::ConvCase& c) {
             c.dilations = {0, 1};
           },
       }) {
    golden::ConvCase c = Base();
    mutate(c);
    EXPECT_THAT(Rejection(c), HasSubstr("(Conv): bad strides, pads or dilations"));
  }
}

TEST(ConvPrepare, RejectsRanksOtherThan3Or4) {
  golden::ConvCase c = Base();
  c.w.shape = {4, 3, 9};  // same element count, rank 3 against a rank-4 input
  EXPECT_THAT(Rejection(c), HasSubstr("(Conv): input, weight and output must all be rank 3 or 4"));
}

TEST(ConvPrepare, RejectsAGroupThatDoesNotDivideTheChannels) {
  golden::ConvCase c = Base();
  c.group = 2;  // the weight still has 3 input channels, not 3/2
  EXPECT_THAT(Rejection(c),
              HasSubstr("(Conv): group 2 does not divide 3 input and 4 output channels "
                        "with 3 weight channels"));
}

TEST(ConvPrepare, RejectsAnOutputShapeThatDoesNotFollow) {
  golden::ConvCase c = Base();
  c.y.shape = {2, 4, 4, 4};
  c.y.values.resize(2 * 4 * 4 * 4);
  EXPECT_THAT(Rejection(c), HasSubstr("(Conv): output shape does not follow from input, weight and "
                                      "parameters (expected spatial 5x5)"));
}

TEST(ConvPrepare, RejectsABiasOfTheWrongShape) {
  golden::ConvCase c = Base();
  c.bias = {{2, 2}, {1, 2, 3, 4}};
  EXPECT_THAT(Rejection(c), HasSubstr("(Conv): bias must have shape [4]"));
}

TEST(ConvPrepare, RejectsAnUnknownFusedActivationAndAnInvertedClip) {
  golden::ConvCase c = Base();
  c.activation.kind = static_cast<schema::ActivationKind>(9);
  EXPECT_THAT(Rejection(c), HasSubstr("(Conv): bad fused activation"));
  c.activation = {schema::ActivationKind::Clip, 2.0f, 1.0f, 0.0f};
  EXPECT_THAT(Rejection(c), HasSubstr("(Conv): bad fused activation"));
}

TEST(ConvPrepare, RejectsInt32Tensors) {
  testing::OpTestModel m;
  int x = m.Input({1, 1, 3}, schema::DType::Int32);
  int w = m.ConstantBytes({1, 1, 1}, schema::DType::Int32, {1, 0, 0, 0});
  int y = m.Output({1, 1, 3}, schema::DType::Int32);
  m.AddOp(OpCode::kConv, {x, w}, {y}, testing::ConvParams({1}, {0, 0}, {1}));
  EXPECT_THAT(golden::RejectionOf(m), HasSubstr("(Conv): only float32 tensors are supported"));
}

// int8 with K = 70000 taps of (127 - (-128)) * 127: the true sum, 2.27e9, is past int32. It must
// saturate (the output clamps to 127) rather than wrap negative (-128) or be undefined behaviour.
// The spec says the compiler never emits such a model; the runtime must still survive one.
TEST(ConvInt8, AnAccumulatorPastInt32SaturatesInsteadOfWrapping) {
  constexpr int32_t kTaps = 70000;
  testing::OpTestModel m;
  int x = m.Input({1, 1, kTaps}, schema::DType::Int8);
  int w = m.ConstantBytes({1, 1, kTaps}, schema::DType::Int8, std::vector<uint8_t>(kTaps, 127));
  int y = m.Output({1, 1, 1}, schema::DType::Int8);
  m.Quantize(x, {1.0f}, {-128});
  m.Quantize(w, {1.0f}, {0});
  m.Quantize(y, {1e6f}, {0});
  m.AddOp(OpCode::kConv, {x, w}, {y}, testing::ConvParams({1}, {0, 0}, {1}));
  EXPECT_EQ(static_cast<int8_t>(m.RunBytes({std::vector<uint8_t>(kTaps, 127)})[0][0]), 127);
}

// The int8 fast path of 1-d convolutions with stride 1 and dilation 1 (channels-last windows on the
// stack) must give the general path's bytes. The general path runs the same numbers as a 2-d model:
// its input has a second row, which a stride of 2 in height skips, and a 2-row input is not 1-d.
struct Conv1dInt8 {
  int32_t batch, channels, out_channels, group, kernel, width, pad_left, pad_right;
  int32_t zp_x, zp_y;
  bool saturating;   // an output scale 100x too small: most outputs clamp at -128 or 127
  bool per_channel;  // one weight scale per output channel, else one
  schema::ActivationKind activation;
  uint32_t seed;

  int32_t out_width() const { return width + pad_left + pad_right - kernel + 1; }
};

std::string Describe(const Conv1dInt8& c) {
  char text[200];
  std::snprintf(text, sizeof(text),
                "batch %d, %d->%d channels, group %d, kernel %d, width %d, pads %d/%d, "
                "zero points %d/%d, saturating %d, per-channel %d, activation %d, seed %u",
                c.batch, c.channels, c.out_channels, c.group, c.kernel, c.width, c.pad_left,
                c.pad_right, c.zp_x, c.zp_y, c.saturating, c.per_channel,
                static_cast<int>(c.activation), c.seed);
  return text;
}

// Outputs of `c` on random inputs, weights and bias drawn from its seed; `as_2d` runs it as the 2-d
// model described above.
std::vector<uint8_t> RunConv1dInt8(const Conv1dInt8& c, bool as_2d) {
  std::mt19937 rng(c.seed);
  const int32_t in_per_group = c.channels / c.group;
  std::vector<uint8_t> x_row(static_cast<size_t>(c.batch * c.channels * c.width));
  for (uint8_t& v : x_row)
    v = static_cast<uint8_t>(rng());
  x_row[0] = static_cast<uint8_t>(int8_t{-128});  // both extremes, against both zero-point extremes
  x_row.back() = 127;
  std::vector<uint8_t> w(static_cast<size_t>(c.out_channels * in_per_group * c.kernel));
  for (uint8_t& v : w)
    v = static_cast<uint8_t>(rng());
  w[0] = static_cast<uint8_t>(int8_t{-128});
  std::vector<int32_t> bias(static_cast<size_t>(c.out_channels));
  for (int32_t& b : bias)
    b = static_cast<int32_t>(rng() % 200001) - 100000;
  bias[0] = INT32_MAX;  // bias + sum saturates to int32 before requantizing
  std::vector<uint8_t> bias_bytes(bias.size() * 4);
  std::memcpy(bias_bytes.data(), bias.data(), bias_bytes.size());

  // Scales that spread typical sums over the int8 range (about 40 steps per standard deviation).
  const float sx = 0.05f, sw = 0.004f;
  const float sy = sx * sw * 5000.0f * std::sqrt(static_cast<float>(in_per_group * c.kernel)) /
                   40.0f / (c.saturating ? 100.0f : 1.0f);
  testing::OpTestModel m;
  std::vector<int32_t> x_shape = {c.batch, c.channels, c.width},
                       w_shape = {c.out_channels, in_per_group, c.kernel};
  std::vector<int32_t> y_shape = {c.batch, c.out_channels, c.out_width()};
  std::vector<uint8_t> x_bytes = x_row;
  if (as_2d) {
    x_shape.insert(x_shape.begin() + 2, 2);
    w_shape.insert(w_shape.begin() + 2, 1);
    y_shape.insert(y_shape.begin() + 2, 1);
    x_bytes.clear();
    for (size_t row = 0; row < x_row.size(); row += static_cast<size_t>(c.width)) {
      x_bytes.insert(x_bytes.end(), x_row.begin() + static_cast<std::ptrdiff_t>(row),
                     x_row.begin() + static_cast<std::ptrdiff_t>(row) + c.width);
      // The second row, which the stride skips.
      for (int32_t i = 0; i < c.width; ++i)
        x_bytes.push_back(static_cast<uint8_t>(rng()));
    }
  }
  int x = m.Input(x_shape, schema::DType::Int8);
  m.Quantize(x, {sx}, {c.zp_x});
  int wt = m.ConstantBytes(w_shape, schema::DType::Int8, w);
  if (c.per_channel) {
    std::vector<float> scales;
    for (int32_t o = 0; o < c.out_channels; ++o) {
      scales.push_back(sw * static_cast<float>(1 + o % 3) / 2.0f);
    }
    m.Quantize(wt, scales, std::vector<int32_t>(static_cast<size_t>(c.out_channels), 0), 0);
  } else {
    m.Quantize(wt, {sw}, {0});
  }
  int b = m.ConstantBytes({c.out_channels}, schema::DType::Int32, bias_bytes);
  int y = m.Output(y_shape, schema::DType::Int8);
  m.Quantize(y, {sy}, {c.zp_y});
  m.AddOp(
      OpCode::kConv, {x, wt, b}, {y},
      as_2d ? testing::ConvParams({2, 1}, {0, c.pad_left, 0, c.pad_right}, {1, 1}, c.group, {},
                                  c.activation)
            : testing::ConvParams({1}, {c.pad_left, c.pad_right}, {1}, c.group, {}, c.activation));
  return m.RunBytes({x_bytes})[0];
}

void ExpectFastPathMatchesGeneralPath(const Conv1dInt8& c) {
  SCOPED_TRACE(Describe(c));
  ASSERT_GE(c.out_width(), 1);
  std::vector<uint8_t> fast = RunConv1dInt8(c, false), general = RunConv1dInt8(c, true);
  ASSERT_EQ(fast.size(), general.size());
  for (size_t i = 0; i < fast.size(); ++i) {
    ASSERT_EQ(static_cast<int8_t>(fast[i]), static_cast<int8_t>(general[i])) << "output " << i;
  }
}

TEST(ConvInt8, TheOneDimensionalFastPathMatchesTheGeneralPathOnEdgeShapes) {
  using AK = schema::ActivationKind;
  const std::vector<Conv1dInt8> cases = {
      // The ECG classifier's layers and wider, grouped variants.
      {1, 2, 8, 1, 7, 128, 3, 3, -3, 5, false, true, AK::Relu, 1},
      {1, 8, 16, 1, 5, 64, 2, 2, -128, -128, false, true, AK::Relu, 2},
      {1, 16, 16, 1, 5, 32, 2, 2, 127, 127, false, true, AK::None, 3},
      {1, 16, 16, 1, 3, 16, 1, 1, 0, 0, true, false, AK::None, 4},
      {1, 48, 96, 3, 5, 64, 2, 2, -128, 127, false, true, AK::Relu, 5},
      {1, 96, 96, 3, 5, 32, 2, 2, 127, -128, true, true, AK::None, 6},
      // Zero points at both ends, saturating outputs, batches.
      {2, 4, 6, 2, 3, 20, 1, 1, -128, 127, true, false, AK::None, 7},
      {3, 6, 6, 3, 4, 9, 2, 1, 127, -128, true, true, AK::Relu, 8},
      // Padding only at one end, none, wider than the kernel (outputs that see only padding),
      // and an input narrower than the kernel.
      {1, 3, 4, 1, 5, 17, 4, 0, 10, -10, false, true, AK::None, 9},
      {1, 3, 4, 1, 5, 17, 0, 4, 10, -10, false, true, AK::None, 10},
      {1, 3, 4, 1, 5, 17, 0, 0, 10, -10, false, false, AK::None, 11},
      {1, 3, 4, 1, 3, 5, 6, 4, -7, 3, false, true, AK::None, 12},
      {1, 2, 3, 1, 7, 2, 3, 3, 100, 0, false, true, AK::None, 13},
      // Fields of 1 and 7 values (padded to a vector of 8 inside), depthwise.
      {1, 1, 1, 1, 1, 1, 0, 0, 5, 5, false, false, AK::None, 14},
      {1, 1, 3, 1, 7, 30, 3, 3, -128, 0, false, true, AK::None, 15},
      {1, 8, 8, 8, 3, 33, 1, 1, 127, 1, false, true, AK::Relu, 16},
      // Fields at the stack buffer's limit (128 x 4 and 512 x 1 = 512) and just past it (171 x 3,
      // the general path on both sides); windows that hold 16 outputs (100 channels, 5 taps), so a
      // row of 50 takes four windows, the last partly filled.
      {1, 128, 5, 1, 4, 23, 2, 1, -128, 0, false, true, AK::None, 17},
      {1, 512, 3, 1, 1, 9, 0, 0, 127, 0, false, true, AK::None, 18},
      {1, 171, 2, 1, 3, 8, 1, 1, 0, 0, false, true, AK::None, 19},
      {2, 100, 6, 2, 5, 50, 2, 2, -128, 127, false, true, AK::None, 20},
      {1, 100, 3, 1, 5, 64, 0, 0, 127, -128, true, true, AK::None, 21},
      // Rows longer than a window's 128 outputs with few channels: 300 outputs in windows of 128,
      // 128 and 44.
      {1, 2, 4, 1, 7, 300, 3, 3, -3, 5, false, true, AK::Relu, 22},
      {2, 3, 5, 1, 3, 257, 0, 0, 127, -128, true, false, AK::None, 23},
  };
  for (const Conv1dInt8& c : cases)
    ExpectFastPathMatchesGeneralPath(c);
}

TEST(ConvInt8, TheOneDimensionalFastPathMatchesTheGeneralPathOnRandomShapes) {
  std::mt19937 rng(20240611);
  auto pick = [&rng](int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(rng() % static_cast<uint32_t>(hi - lo + 1));
  };
  const int32_t zero_points[] = {-128, 127, 0, -1, 42};
  for (uint32_t trial = 0; trial < 200; ++trial) {
    Conv1dInt8 c{};
    c.batch = pick(1, 2);
    c.group = pick(1, 3);
    c.channels = c.group * pick(1, 40);
    c.out_channels = c.group * pick(1, 6);
    c.kernel = pick(1, 9);
    c.width = pick(1, 90);
    c.pad_left = pick(0, c.kernel);
    c.pad_right = pick(0, c.kernel);
    if (c.out_width() < 1) c.pad_right += 1 - c.out_width();
    c.zp_x = zero_points[rng() % 5];
    c.zp_y = zero_points[rng() % 5];
    c.saturating = rng() % 4 == 0;
    c.per_channel = rng() % 2 == 0;
    c.activation = rng() % 2 == 0 ? schema::ActivationKind::None : schema::ActivationKind::Relu;
    c.seed = 1000 + trial;
    ExpectFastPathMatchesGeneralPath(c);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace vigil
