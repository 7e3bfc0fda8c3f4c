// Transpose: golden cases from NumPy (testing/golden/kernels/transpose_golden.h: rank 2 to 6,
// NCHW -> NHWC, rotations, a full reversal) run as float32, int8 and int32, and Prepare's
// rejections of perms that are not permutations.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/transpose_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class TransposeGolden : public ::testing::TestWithParam<golden::TransposeCase> {};

TEST_P(TransposeGolden, MatchesNumPyInEveryDtype) {
  for (schema::DType dtype : {schema::DType::Float32, schema::DType::Int8, schema::DType::Int32}) {
    SCOPED_TRACE(schema::EnumNameDType(dtype));
    golden::GoldenModel m = golden::TransposeModel(GetParam(), dtype);
    golden::ExpectMatches(golden::RunGolden(m), *m.expected, 0.0f, 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(NumPy, TransposeGolden, ::testing::ValuesIn(golden::kTransposeCases),
                         golden::CaseName());

std::string Rejection(std::vector<int32_t> perm, std::vector<int32_t> y_shape = {4, 2, 3}) {
  golden::TransposeCase c = golden::kTransposeCases[2];  // [2, 3, 4] by [2, 0, 1] -> [4, 2, 3]
  c.perm = std::move(perm);
  c.y.shape = std::move(y_shape);
  golden::GoldenModel m = golden::TransposeModel(c);
  return golden::RejectionOf(*m.model);
}

TEST(TransposePrepare, RejectsPermsThatAreNotPermutations) {
  EXPECT_THAT(Rejection({2, 0, 0}),
              HasSubstr("(Transpose): perm is not a permutation matching the output shape"));
  EXPECT_THAT(Rejection({2, 0, 3}),
              HasSubstr("(Transpose): perm is not a permutation matching the output shape"));
  EXPECT_THAT(Rejection({2, -1, 1}),
              HasSubstr("(Transpose): perm is not a permutation matching the output shape"));
  EXPECT_THAT(Rejection({2, 0}),
              HasSubstr("(Transpose): perm must list every input dimension once"));
  EXPECT_THAT(Rejection({}), HasSubstr("(Transpose): perm must list every input dimension once"));
}

TEST(TransposePrepare, RejectsAnOutputShapeThatDoesNotFollow) {
  EXPECT_THAT(Rejection({2, 0, 1}, {4, 3, 2}),
              HasSubstr("(Transpose): perm is not a permutation matching the output shape"));
}

}  // namespace
}  // namespace vigil
