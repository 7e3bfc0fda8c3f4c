// Relu: golden cases in float64 NumPy (testing/golden/kernels/relu_golden.h: mixed signs, signed
// zero, large magnitudes), each run directly and in place over its input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/relu_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class ReluGolden : public ::testing::TestWithParam<golden::UnaryCase> {};

TEST_P(ReluGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kRelu);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

TEST_P(ReluGolden, MatchesNumPyInPlace) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kRelu, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, ReluGolden, ::testing::ValuesIn(golden::kReluCases),
                         golden::CaseName());

// Relu, LeakyRelu, Clip, Sigmoid and Tanh share their Prepare (unary_elementwise.h); its rejections
// are tested once here.
std::string Rejection(OpCode opcode, std::vector<int32_t> x_shape, std::vector<int32_t> y_shape,
                      schema::DType x_dtype = schema::DType::Float32,
                      schema::DType y_dtype = schema::DType::Float32) {
  testing::OpTestModel m;
  int x = m.Input(std::move(x_shape), x_dtype), y = m.Output(std::move(y_shape), y_dtype);
  for (int t : {x, y}) {
    if (m.model().tensors[static_cast<size_t>(t)]->dtype == schema::DType::Int8)
      m.Quantize(t, {1.0f}, {0});
  }
  schema::OpParamsUnion params;
  if (kOpInfo[static_cast<int>(opcode)].params == schema::OpParams::Activation) {
    params = testing::ActivationParams(schema::ActivationKind::None, -1.0f, 1.0f, 0.1f);
  }
  m.AddOp(opcode, {x}, {y}, std::move(params));
  return golden::RejectionOf(m);
}

TEST(UnaryPrepare, RejectsDifferentShapes) {
  EXPECT_THAT(Rejection(OpCode::kRelu, {2, 3}, {3, 2}),
              ::testing::HasSubstr("(Relu): input and output shapes differ"));
  EXPECT_THAT(Rejection(OpCode::kTanh, {6}, {1, 6}),
              ::testing::HasSubstr("(Tanh): input and output shapes differ"));
}

TEST(UnaryPrepare, RejectsDifferentDtypesAndInt32) {
  EXPECT_THAT(Rejection(OpCode::kSigmoid, {4}, {4}, schema::DType::Float32, schema::DType::Int32),
              ::testing::HasSubstr("(Sigmoid): input and output dtypes differ"));
  EXPECT_THAT(Rejection(OpCode::kLeakyRelu, {4}, {4}, schema::DType::Int32, schema::DType::Int32),
              ::testing::HasSubstr("(LeakyRelu): only float32 tensors are supported"));
}

}  // namespace
}  // namespace vigil
