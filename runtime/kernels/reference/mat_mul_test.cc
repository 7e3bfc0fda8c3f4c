// MatMul: golden cases from NumPy's matmul in float64 (testing/golden/kernels/mat_mul_golden.h:
// 1-d operands on either side, batched operands, broadcast batch dimensions, constant B) and
// Prepare's rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/mat_mul_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class MatMulGolden : public ::testing::TestWithParam<golden::MatMulCase> {};

TEST_P(MatMulGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::MatMulModel(GetParam());
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(NumPy, MatMulGolden, ::testing::ValuesIn(golden::kMatMulCases),
                         golden::CaseName());

std::string Rejection(std::vector<int32_t> a, std::vector<int32_t> b, std::vector<int32_t> y) {
  testing::OpTestModel m;
  int ta = m.Input(std::move(a)), tb = m.Input(std::move(b));
  m.AddOp(OpCode::kMatMul, {ta, tb}, {m.Output(std::move(y))});
  return golden::RejectionOf(m);
}

TEST(MatMulPrepare, RejectsDifferentInnerDimensions) {
  EXPECT_THAT(Rejection({3, 4}, {5, 2}, {3, 2}),
              HasSubstr("(MatMul): inner dimensions differ: 4 vs 5"));
  EXPECT_THAT(Rejection({4}, {3}, {}), HasSubstr("(MatMul): inner dimensions differ: 4 vs 3"));
}

TEST(MatMulPrepare, RejectsBatchDimensionsThatDoNotBroadcast) {
  EXPECT_THAT(Rejection({2, 3, 4}, {3, 4, 5}, {3, 3, 5}),
              HasSubstr("(MatMul): batch dimensions do not broadcast"));
}

TEST(MatMulPrepare, RejectsAnOutputShapeThatDoesNotFollow) {
  EXPECT_THAT(Rejection({3, 4}, {4, 5}, {5, 3}),
              HasSubstr("(MatMul): output shape does not follow from the inputs"));
  // A 1-d operand's unit dimension is dropped from Y, not kept.
  EXPECT_THAT(Rejection({4}, {4, 3}, {1, 3}),
              HasSubstr("(MatMul): output shape does not follow from the inputs"));
  EXPECT_THAT(Rejection({2, 3, 4}, {4, 5}, {3, 5}),
              HasSubstr("(MatMul): output shape does not follow from the inputs"));
}

TEST(MatMulPrepare, RejectsScalars) {
  EXPECT_THAT(Rejection({}, {4}, {4}), HasSubstr("(MatMul): inputs must have rank >= 1"));
}

// int8 with K = 70000 taps of (127 - (-128)) * 127: the true sum, 2.27e9, is past int32. It must
// saturate (the output clamps to 127) rather than wrap negative (-128) or be undefined behaviour.
// The spec says the compiler never emits such a model; the runtime must still survive one.
TEST(MatMulInt8, AnAccumulatorPastInt32SaturatesInsteadOfWrapping) {
  constexpr int32_t kTaps = 70000;
  testing::OpTestModel m;
  int a = m.Input({1, kTaps}, schema::DType::Int8);
  int b = m.ConstantBytes({kTaps, 1}, schema::DType::Int8, std::vector<uint8_t>(kTaps, 127));
  int y = m.Output({1, 1}, schema::DType::Int8);
  m.Quantize(a, {1.0f}, {-128});
  m.Quantize(b, {1.0f}, {0});
  m.Quantize(y, {1e6f}, {0});
  m.AddOp(OpCode::kMatMul, {a, b}, {y});
  EXPECT_EQ(static_cast<int8_t>(m.RunBytes({std::vector<uint8_t>(kTaps, 127)})[0][0]), 127);
}

}  // namespace
}  // namespace vigil
