// Sigmoid: golden cases in float64 NumPy (testing/golden/kernels/sigmoid_golden.h: values to +-100,
// where a naive exp overflows), each run directly and in place over its input.
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/sigmoid_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class SigmoidGolden : public ::testing::TestWithParam<golden::UnaryCase> {};

TEST_P(SigmoidGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kSigmoid);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

TEST_P(SigmoidGolden, MatchesNumPyInPlace) {
  golden::GoldenModel m =
      golden::UnaryModel(GetParam(), OpCode::kSigmoid, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, SigmoidGolden, ::testing::ValuesIn(golden::kSigmoidCases),
                         golden::CaseName());

}  // namespace
}  // namespace vigil
