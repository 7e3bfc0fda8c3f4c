// Slice: golden cases from NumPy's basic slicing (testing/golden/kernels/slice_golden.h: windows,
// steps of 2 and 3, negative steps, mixed axes, an empty result) run as float32, int8 and int32,
// and Prepare's rejections of reads outside the input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/slice_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class SliceGolden : public ::testing::TestWithParam<golden::SliceCase> {};

TEST_P(SliceGolden, MatchesNumPyInEveryDtype) {
  for (schema::DType dtype : {schema::DType::Float32, schema::DType::Int8, schema::DType::Int32}) {
    SCOPED_TRACE(schema::EnumNameDType(dtype));
    golden::GoldenModel m = golden::SliceModel(GetParam(), dtype);
    golden::ExpectMatches(golden::RunGolden(m), *m.expected, 0.0f, 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(NumPy, SliceGolden, ::testing::ValuesIn(golden::kSliceCases),
                         golden::CaseName());

std::string Rejection(std::vector<int32_t> starts, std::vector<int32_t> steps) {
  golden::SliceCase c = golden::kSliceCases[2];  // [2, 5] -> [2, 5], the last axis reversed
  c.starts = std::move(starts);
  c.steps = std::move(steps);
  golden::GoldenModel m = golden::SliceModel(c);
  return golden::RejectionOf(*m.model);
}

TEST(SlicePrepare, AcceptsTheGoldenParameters) {
  EXPECT_EQ(Rejection({0, 4}, {1, -1}), "");
}

TEST(SlicePrepare, RejectsAZeroStep) {
  EXPECT_THAT(Rejection({0, 4}, {1, 0}), HasSubstr("(Slice): step of axis 1 is zero"));
}

TEST(SlicePrepare, RejectsReadsOutsideTheInput) {
  EXPECT_THAT(Rejection({0, 5}, {1, -1}),
              HasSubstr("(Slice): axis 1 reads outside the input"));  // first
  EXPECT_THAT(Rejection({0, 3}, {1, -1}),
              HasSubstr("(Slice): axis 1 reads outside the input"));  // last
  EXPECT_THAT(Rejection({1, 4}, {1, -1}), HasSubstr("(Slice): axis 0 reads outside the input"));
  EXPECT_THAT(Rejection({0, 1}, {1, 1}), HasSubstr("(Slice): axis 1 reads outside the input"));
  EXPECT_THAT(Rejection({-1, 4}, {1, -1}), HasSubstr("(Slice): axis 0 reads outside the input"));
}

// Prepare checks the start of non-empty axes only, so an empty result may carry any start; Eval
// must then read nothing (nor form a pointer from the start, which UBSan would flag).
TEST(Slice, AnEmptyResultWithAWildStartReadsNothing) {
  golden::SliceCase c = golden::kSliceCases[5];  // [3, 4] -> [3, 0]
  ASSERT_EQ(c.y.shape, (std::vector<int32_t>{3, 0}));
  c.starts = {0, INT32_MIN};
  golden::GoldenModel m = golden::SliceModel(c);
  EXPECT_TRUE(golden::RunGolden(m).empty());
  c.x = {{3, 1 << 16}, std::vector<float>(3 << 16, 1.0f)};
  c.y = {{0, 1 << 16}, {}};
  c.starts = {INT32_MIN, 0};
  c.steps = {-1, 1};
  golden::GoldenModel wide = golden::SliceModel(c);
  EXPECT_TRUE(golden::RunGolden(wide).empty());
}

TEST(SlicePrepare, RejectsParametersWithoutOneEntryPerAxis) {
  EXPECT_THAT(Rejection({4}, {-1}), HasSubstr("(Slice): starts and steps need one entry per axis"));
  EXPECT_THAT(Rejection({0, 4}, {1}),
              HasSubstr("(Slice): starts and steps need one entry per axis"));
}

}  // namespace
}  // namespace vigil
