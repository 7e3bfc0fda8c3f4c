// Add: golden cases in float64 NumPy with broadcasting (testing/golden/kernels/add_golden.h: same
// shapes, scalars, rows, columns, either input broadcast, rank 5, a constant operand, a fused
// activation), each also run in place over input 0 where the shapes allow it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/add_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class AddGolden : public ::testing::TestWithParam<golden::BinaryCase> {};

TEST_P(AddGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::BinaryModel(GetParam(), OpCode::kAdd);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(NumPy, AddGolden, ::testing::ValuesIn(golden::kAddCases),
                         golden::CaseName());

class AddGoldenInPlace : public ::testing::TestWithParam<golden::BinaryCase> {};

TEST_P(AddGoldenInPlace, MatchesNumPy) {
  golden::GoldenModel m = golden::BinaryModel(GetParam(), OpCode::kAdd, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, AddGoldenInPlace,
                         ::testing::ValuesIn(golden::InPlaceCases(golden::kAddCases)),
                         golden::CaseName());

// x -> Reshape -> t; op(t, t) in place over t: both operands alias the output.
std::vector<float> RunOnItselfInPlace(OpCode opcode, const std::vector<float>& x) {
  testing::OpTestModel m;
  int in = m.Input({static_cast<int32_t>(x.size())});
  int t = m.Intermediate({static_cast<int32_t>(x.size())});
  int y = m.Output({static_cast<int32_t>(x.size())});
  m.AddOp(OpCode::kReshape, {in}, {t});
  m.AddOp(opcode, {t, t}, {y}, testing::ElementwiseParams());
  std::vector<float> out = m.Run({x})[0];
  EXPECT_EQ(m.model().tensors[static_cast<size_t>(t)]->arena_offset,
            m.model().tensors[static_cast<size_t>(y)]->arena_offset);
  return out;
}

TEST(BinaryInPlace, BothOperandsAliasingTheOutput) {
  const std::vector<float> x = {-2.0f, -0.5f, 0.0f, 1.5f, 3.0f};
  EXPECT_EQ(RunOnItselfInPlace(OpCode::kAdd, x),
            (std::vector<float>{-4.0f, -1.0f, 0.0f, 3.0f, 6.0f}));
  EXPECT_EQ(RunOnItselfInPlace(OpCode::kSub, x),
            (std::vector<float>{0.0f, 0.0f, 0.0f, 0.0f, 0.0f}));
  EXPECT_EQ(RunOnItselfInPlace(OpCode::kMul, x),
            (std::vector<float>{4.0f, 0.25f, 0.0f, 2.25f, 9.0f}));
}

// Add, Sub and Mul share their Prepare (binary_elementwise.h); its rejections are tested once here.
std::string Rejection(std::vector<int32_t> a, std::vector<int32_t> b, std::vector<int32_t> y,
                      schema::ActivationKind activation = schema::ActivationKind::None) {
  testing::OpTestModel m;
  int ta = m.Input(std::move(a)), tb = m.Input(std::move(b));
  m.AddOp(OpCode::kAdd, {ta, tb}, {m.Output(std::move(y))}, testing::ElementwiseParams(activation));
  return golden::RejectionOf(m);
}

TEST(BinaryPrepare, RejectsInputsThatDoNotBroadcast) {
  EXPECT_THAT(Rejection({2, 3}, {2}, {2, 3}),
              ::testing::HasSubstr("(Add): inputs do not broadcast onto the output shape"));
  EXPECT_THAT(Rejection({2, 3}, {3}, {3}),
              ::testing::HasSubstr("(Add): inputs do not broadcast onto the output shape"));
}

TEST(BinaryPrepare, RejectsAnOutputLargerThanTheBroadcast) {
  EXPECT_THAT(Rejection({3}, {3}, {1, 3}),
              ::testing::HasSubstr("(Add): output rank is not the broadcast rank"));
  EXPECT_THAT(Rejection({1, 3}, {1, 3}, {2, 3}),
              ::testing::HasSubstr("(Add): output shape is not the broadcast shape"));
}

TEST(BinaryPrepare, RejectsABadFusedActivation) {
  EXPECT_THAT(Rejection({3}, {3}, {3}, static_cast<schema::ActivationKind>(4)),
              ::testing::HasSubstr("(Add): bad fused activation"));
}

TEST(BinaryPrepare, RejectsInt32) {
  testing::OpTestModel m;
  int a = m.Input({3}, schema::DType::Int32), b = m.Input({3}, schema::DType::Int32);
  int y = m.Output({3}, schema::DType::Int32);
  m.AddOp(OpCode::kMul, {a, b}, {y}, testing::ElementwiseParams());
  EXPECT_THAT(golden::RejectionOf(m),
              ::testing::HasSubstr("(Mul): only float32 tensors are supported"));
}

}  // namespace
}  // namespace vigil
