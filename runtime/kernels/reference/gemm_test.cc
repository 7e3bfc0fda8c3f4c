// Gemm: golden cases in float64 NumPy (testing/golden/kernels/gemm_golden.h: transposes, alpha and
// beta, C broadcast from [N], [M, 1], [M, N] and a scalar, no C, fused Relu and Clip) and Prepare's
// rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/gemm_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class GemmGolden : public ::testing::TestWithParam<golden::GemmCase> {};

TEST_P(GemmGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::GemmModel(GetParam());
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(NumPy, GemmGolden, ::testing::ValuesIn(golden::kGemmCases),
                         golden::CaseName());

std::string Rejection(const golden::GemmCase& c) {
  golden::GoldenModel m = golden::GemmModel(c);
  return golden::RejectionOf(*m.model);
}

golden::GemmCase Base() {
  return golden::kGemmCases[0];
}  // A 2x3, B 3x4, C [4]

TEST(GemmPrepare, RejectsNonMatrices) {
  golden::GemmCase c = Base();
  c.a.shape = {1, 2, 3};
  EXPECT_THAT(Rejection(c), HasSubstr("(Gemm): A, B and Y must be matrices"));
}

TEST(GemmPrepare, RejectsShapesThatDoNotMultiplyNamingThem) {
  golden::GemmCase c = Base();
  c.trans_b = true;  // B' becomes 4x3
  EXPECT_THAT(Rejection(c),
              HasSubstr("(Gemm): shapes do not multiply: A' is 2x3, B' is 4x3, Y is 2x4"));
  c = Base();
  c.y.shape = {4, 2};
  EXPECT_THAT(Rejection(c),
              HasSubstr("(Gemm): shapes do not multiply: A' is 2x3, B' is 3x4, Y is 4x2"));
}

TEST(GemmPrepare, RejectsACThatDoesNotBroadcast) {
  golden::GemmCase c = Base();
  c.c = {{3}, {1, 2, 3}};
  EXPECT_THAT(Rejection(c), HasSubstr("(Gemm): C does not broadcast onto [M, N]"));
  c.c = {{1, 2, 4}, std::vector<float>(8, 1.0f)};
  EXPECT_THAT(Rejection(c), HasSubstr("(Gemm): C does not broadcast onto [M, N]"));
}

TEST(GemmPrepare, RejectsABadFusedActivation) {
  golden::GemmCase c = Base();
  c.activation = {schema::ActivationKind::Clip, 1.0f, -1.0f, 0.0f};
  EXPECT_THAT(Rejection(c), HasSubstr("(Gemm): bad fused activation"));
}

// int8 with K = 70000 taps of (127 - (-128)) * 127: the true sum, 2.27e9, is past int32. It must
// saturate (the output clamps to 127) rather than wrap negative (-128) or be undefined behaviour.
// The spec says the compiler never emits such a model; the runtime must still survive one.
TEST(GemmInt8, AnAccumulatorPastInt32SaturatesInsteadOfWrapping) {
  constexpr int32_t kTaps = 70000;
  testing::OpTestModel m;
  int a = m.Input({1, kTaps}, schema::DType::Int8);
  int b = m.ConstantBytes({kTaps, 1}, schema::DType::Int8, std::vector<uint8_t>(kTaps, 127));
  int y = m.Output({1, 1}, schema::DType::Int8);
  m.Quantize(a, {1.0f}, {-128});
  m.Quantize(b, {1.0f}, {0});
  m.Quantize(y, {1e6f}, {0});
  schema::GemmParamsT p;
  schema::OpParamsUnion params;
  params.Set(std::move(p));
  m.AddOp(OpCode::kGemm, {a, b}, {y}, std::move(params));
  EXPECT_EQ(static_cast<int8_t>(m.RunBytes({std::vector<uint8_t>(kTaps, 127)})[0][0]), 127);
}

}  // namespace
}  // namespace vigil
