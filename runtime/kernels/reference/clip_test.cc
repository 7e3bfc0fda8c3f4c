// Clip: golden cases in float64 NumPy (testing/golden/kernels/clip_golden.h: ordinary bounds, equal
// bounds, Relu6), each run directly and in place over its input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/clip_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class ClipGolden : public ::testing::TestWithParam<golden::UnaryCase> {};

TEST_P(ClipGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kClip);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

TEST_P(ClipGolden, MatchesNumPyInPlace) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kClip, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, ClipGolden, ::testing::ValuesIn(golden::kClipCases),
                         golden::CaseName());

TEST(ClipPrepare, RejectsMinAboveMaxAndNaNBounds) {
  for (auto [lo, hi] : {std::pair{1.0f, -1.0f}, std::pair{std::nanf(""), 1.0f}}) {
    golden::UnaryCase c = golden::kClipCases[0];
    c.params.min = lo;
    c.params.max = hi;
    golden::GoldenModel m = golden::UnaryModel(c, OpCode::kClip);
    EXPECT_THAT(golden::RejectionOf(*m.model),
                ::testing::HasSubstr("(Clip): Clip needs min <= max"));
  }
}

}  // namespace
}  // namespace vigil
