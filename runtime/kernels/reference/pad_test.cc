// Pad: golden cases from NumPy's np.pad, negative pads cropping afterwards (testing/golden/kernels/
// pad_golden.h: constant, reflect and edge modes, every axis, pads wider than the input, crops on
// one or both ends) run as float32, int8 (whose fill is the zero point) and int32, and Prepare's
// rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/pad_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class PadGolden : public ::testing::TestWithParam<golden::PadCase> {};

TEST_P(PadGolden, MatchesNumPyInEveryDtype) {
  for (schema::DType dtype : {schema::DType::Float32, schema::DType::Int8, schema::DType::Int32}) {
    SCOPED_TRACE(schema::EnumNameDType(dtype));
    golden::GoldenModel m = golden::PadModel(GetParam(), dtype);
    golden::ExpectMatches(golden::RunGolden(m), *m.expected, 0.0f, 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(NumPy, PadGolden, ::testing::ValuesIn(golden::kPadCases),
                         golden::CaseName());

std::string Rejection(const golden::PadCase& c) {
  golden::GoldenModel m = golden::PadModel(c);
  return golden::RejectionOf(*m.model);
}

golden::PadCase Reflect() {
  return golden::kPadCases[3];
}  // [1, 4] by [0, 3, 0, 3] -> [1, 10]

TEST(PadPrepare, RejectsPadsOfTheWrongLength) {
  golden::PadCase c = Reflect();
  c.pads = {3, 3};
  EXPECT_THAT(Rejection(c), HasSubstr("(Pad): pads must have 2 x rank entries and a known mode"));
}

TEST(PadPrepare, RejectsAnUnknownMode) {
  golden::PadCase c = Reflect();
  c.mode = static_cast<schema::PadMode>(3);
  EXPECT_THAT(Rejection(c), HasSubstr("(Pad): pads must have 2 x rank entries and a known mode"));
}

TEST(PadPrepare, RejectsAnOutputThatIsNotInputPlusPads) {
  golden::PadCase c = Reflect();
  c.pads = {0, 3, 0, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(Pad): output dimension 1 is not input + pads"));
}

TEST(PadPrepare, RejectsCroppingInReflectAndEdgeModes) {
  for (auto mode : {schema::PadMode::Reflect, schema::PadMode::Edge}) {
    golden::PadCase c = Reflect();  // [1, 4]
    c.mode = mode;
    c.pads = {0, -1, 0, 2};
    c.y.shape = {1, 5};
    EXPECT_THAT(Rejection(c),
                HasSubstr("(Pad): reflect and edge padding cannot crop (negative pads)"));
  }
}

TEST(PadPrepare, RejectsReflectPadsAsWideAsTheAxis) {
  golden::PadCase c = Reflect();
  c.pads = {0, 4, 0, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(Pad): reflect pads must be smaller than the axis"));
}

TEST(PadPrepare, RejectsExtendingAnEmptyAxis) {
  testing::OpTestModel m;
  int x = m.Input({2, 0});
  schema::PadParamsT p;
  p.pads = {0, 1, 0, 1};
  p.mode = schema::PadMode::Edge;
  schema::OpParamsUnion params;
  params.Set(std::move(p));
  m.AddOp(OpCode::kPad, {x}, {m.Output({2, 2})}, std::move(params));
  EXPECT_THAT(golden::RejectionOf(m), HasSubstr("(Pad): cannot reflect or extend an empty axis"));
}

TEST(PadPrepare, RejectsAnInt32PadValueThatIsNotAnInt32) {
  for (float value : {0.5f, 3e9f, std::nanf("")}) {
    golden::PadCase c = golden::kPadCases[1];  // constant mode
    c.value = value;
    golden::GoldenModel m = golden::PadModel(c, schema::DType::Int32);
    EXPECT_THAT(golden::RejectionOf(*m.model),
                HasSubstr("(Pad): an int32 pad value must be a whole number in int32 range"))
        << value;
  }
}

}  // namespace
}  // namespace vigil
