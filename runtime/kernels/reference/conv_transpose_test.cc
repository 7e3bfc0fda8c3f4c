// ConvTranspose: golden cases computed by torch in float64 (testing/golden/kernels/
// conv_transpose_golden.h: 1-d and 2-d, strides, asymmetric pads, output padding, dilation, groups,
// fused Relu) and Prepare's rejections, each with its message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/conv_transpose_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class ConvTransposeGolden : public ::testing::TestWithParam<golden::ConvCase> {};

TEST_P(ConvTransposeGolden, MatchesTorch) {
  golden::GoldenModel m = golden::ConvModel(GetParam(), OpCode::kConvTranspose);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(Torch, ConvTransposeGolden,
                         ::testing::ValuesIn(golden::kConvTransposeCases), golden::CaseName());

std::string Rejection(const golden::ConvCase& c) {
  golden::GoldenModel m = golden::ConvModel(c, OpCode::kConvTranspose);
  return golden::RejectionOf(*m.model);
}

// 1x1x3x4 -> 1x2x6x8: stride 2, kernel 3, pads 1, output padding 1.
golden::ConvCase Base() {
  return golden::kConvTransposeCases[1];
}

TEST(ConvTransposePrepare, RejectsOutputPaddingNotBelowStrideOrDilation) {
  golden::ConvCase c = Base();
  c.output_padding = {2, 1};
  EXPECT_THAT(Rejection(c),
              HasSubstr("(ConvTranspose): bad strides, pads, dilations or output padding"));
  c = Base();
  c.output_padding = {1};
  EXPECT_THAT(Rejection(c),
              HasSubstr("(ConvTranspose): bad strides, pads, dilations or output padding"));
}

TEST(ConvTransposePrepare, RejectsAWeightWhoseFirstAxisIsNotTheInputChannels) {
  golden::ConvCase c = Base();
  c.w.shape = {2, 1, 3, 3};
  EXPECT_THAT(Rejection(c),
              HasSubstr("(ConvTranspose): weight must be [C, M/group, ...] with group dividing C"));
}

TEST(ConvTransposePrepare, RejectsAnOutputShapeThatDoesNotFollow) {
  golden::ConvCase c = Base();
  c.name = "up";  // the message must fit VIGIL_ERROR_MESSAGE_BYTES with the node name
  c.y.shape = {1, 2, 6, 7};
  c.y.values.resize(84);
  EXPECT_THAT(Rejection(c),
              HasSubstr("op 0 'up' (ConvTranspose): output shape does not follow from input, "
                        "weight and parameters (expected 2 channels, spatial 6x8)"));
}

TEST(ConvTransposePrepare, RejectsABiasOfTheWrongLength) {
  golden::ConvCase c = Base();
  c.bias = {{3}, {1, 2, 3}};
  EXPECT_THAT(Rejection(c), HasSubstr("(ConvTranspose): bias must have shape [2]"));
}

TEST(ConvTransposePrepare, RejectsMismatchedRanksAndBadActivations) {
  golden::ConvCase c = Base();
  c.w.shape = {1, 2, 9};
  EXPECT_THAT(Rejection(c),
              HasSubstr("(ConvTranspose): input, weight and output must all be rank 3 or 4"));
  c = Base();
  c.activation.kind = static_cast<schema::ActivationKind>(200);
  EXPECT_THAT(Rejection(c), HasSubstr("(ConvTranspose): bad fused activation"));
}

// int8 with K = 70000 taps of (127 - (-128)) * 127: the true sum, 2.27e9, is past int32. It must
// saturate (the output clamps to 127) rather than wrap negative (-128) or be undefined behaviour.
// The spec says the compiler never emits such a model; the runtime must still survive one.
TEST(ConvTransposeInt8, AnAccumulatorPastInt32SaturatesInsteadOfWrapping) {
  constexpr int32_t kTaps = 70000;  // input channels, each one tap onto the single output
  testing::OpTestModel m;
  int x = m.Input({1, kTaps, 1}, schema::DType::Int8);
  int w = m.ConstantBytes({kTaps, 1, 1}, schema::DType::Int8, std::vector<uint8_t>(kTaps, 127));
  int y = m.Output({1, 1, 1}, schema::DType::Int8);
  m.Quantize(x, {1.0f}, {-128});
  m.Quantize(w, {1.0f}, {0});
  m.Quantize(y, {1e6f}, {0});
  m.AddOp(OpCode::kConvTranspose, {x, w}, {y}, testing::ConvParams({1}, {0, 0}, {1}));
  EXPECT_EQ(static_cast<int8_t>(m.RunBytes({std::vector<uint8_t>(kTaps, 127)})[0][0]), 127);
}

}  // namespace
}  // namespace vigil
