// Conv: golden cases computed by torch in float64 (testing/golden/kernels/conv_golden.h: 1-d and
// 2-d, strides, asymmetric pads, dilation, groups, depthwise, fused activations) and Prepare's
// rejections of shapes and parameters, each with its message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vigil
