// Softmax: golden cases in float64 NumPy (testing/golden/kernels/softmax_golden.h: first, middle
// and last axis, values near 1000 that overflow a naive exp, a one-element axis) and Prepare's
// rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/softmax_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class SoftmaxGolden : public ::testing::TestWithParam<golden::SoftmaxCase> {};

TEST_P(SoftmaxGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::SoftmaxModel(GetParam());
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(NumPy, SoftmaxGolden, ::testing::ValuesIn(golden::kSoftmaxCases),
                         golden::CaseName());

std::string Rejection(golden::SoftmaxCase c) {
  golden::GoldenModel m = golden::SoftmaxModel(c);
  return golden::RejectionOf(*m.model);
}

TEST(SoftmaxPrepare, RejectsAnAxisOutOfRange) {
  // The compiler resolves negative axes; the runtime takes 0 <= axis < rank only.
  golden::SoftmaxCase c = golden::kSoftmaxCases[0];  // [2, 5]
  c.axis = 2;
  EXPECT_THAT(Rejection(c), HasSubstr("(Softmax): axis 2 out of range, or output shape differs"));
  c.axis = -1;
  EXPECT_THAT(Rejection(c), HasSubstr("(Softmax): axis -1 out of range, or output shape differs"));
}

TEST(SoftmaxPrepare, RejectsADifferentOutputShape) {
  golden::SoftmaxCase c = golden::kSoftmaxCases[0];
  c.y.shape = {5, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(Softmax): axis 1 out of range, or output shape differs"));
}

}  // namespace
}  // namespace vigil
