// Concat: golden cases from NumPy (testing/golden/kernels/concat_golden.h: batch, channel, height
// and last axis, one to three inputs) run as float32, int8 and int32 (the kernel copies bytes of
// any width), and Prepare's rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/concat_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class ConcatGolden : public ::testing::TestWithParam<golden::ConcatCase> {};

TEST_P(ConcatGolden, MatchesNumPyInEveryDtype) {
  for (schema::DType dtype : {schema::DType::Float32, schema::DType::Int8, schema::DType::Int32}) {
    SCOPED_TRACE(schema::EnumNameDType(dtype));
    golden::GoldenModel m = golden::ConcatModel(GetParam(), dtype);
    golden::ExpectMatches(golden::RunGolden(m), *m.expected, 0.0f, 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(NumPy, ConcatGolden, ::testing::ValuesIn(golden::kConcatCases),
                         golden::CaseName());

std::string Rejection(const golden::ConcatCase& c, schema::DType dtype = schema::DType::Float32) {
  golden::GoldenModel m = golden::ConcatModel(c, dtype);
  return golden::RejectionOf(*m.model);
}

golden::ConcatCase Base() {
  return golden::kConcatCases[0];
}  // [1,1,2,2] [1,2,2,2] [1,3,2,2] on axis 1

TEST(ConcatPrepare, RejectsAnAxisOutOfRange) {
  golden::ConcatCase c = Base();
  c.axis = 4;
  EXPECT_THAT(Rejection(c), HasSubstr("(Concat): axis 4 out of range"));
  c.axis = -1;
  EXPECT_THAT(Rejection(c), HasSubstr("(Concat): axis -1 out of range"));
}

TEST(ConcatPrepare, RejectsInputsThatDoNotFit) {
  golden::ConcatCase c = Base();
  c.inputs[1].shape = {1, 2, 4};
  EXPECT_THAT(Rejection(c),
              HasSubstr("(Concat): input 1 differs from the output in rank or dtype"));
  c = Base();
  c.inputs[2].shape = {1, 3, 1, 4};
  EXPECT_THAT(Rejection(c), HasSubstr("(Concat): input 2 differs from the output in dimension 2"));
  c = Base();
  c.y.shape = {1, 7, 2, 2};
  c.y.values.resize(28);
  EXPECT_THAT(Rejection(c),
              HasSubstr("(Concat): inputs do not add up to the output along the axis"));
}

TEST(ConcatPrepare, RejectsMixedDtypes) {
  testing::OpTestModel m;
  int a = m.Input({2}), b = m.Input({2}, schema::DType::Int32);
  m.AddOp(OpCode::kConcat, {a, b}, {m.Output({4})}, testing::AxisParams(0));
  EXPECT_THAT(golden::RejectionOf(m),
              HasSubstr("(Concat): input 1 differs from the output in rank or dtype"));
}

TEST(ConcatPrepare, RejectsAnAbsentInput) {
  testing::OpTestModel m;
  int a = m.Input({2});
  m.AddOp(OpCode::kConcat, {a, -1}, {m.Output({2})}, testing::AxisParams(0));
  EXPECT_THAT(golden::RejectionOf(m), HasSubstr("(Concat): input 1 is absent"));
}

TEST(ConcatPrepare, RejectsPerChannelInt8Inputs) {
  golden::GoldenModel m = golden::ConcatModel(Base(), schema::DType::Int8);
  m.model->Quantize(m.op_input + 1, {0.5f, 0.25f}, {0, 0}, 1);  // [1, 2, 2, 2], per channel
  EXPECT_THAT(golden::RejectionOf(*m.model),
              HasSubstr("(Concat): int8 input 1 needs per-tensor quantization"));
}

}  // namespace
}  // namespace vigil
