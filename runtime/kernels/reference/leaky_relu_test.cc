// LeakyRelu: golden cases in float64 NumPy (testing/golden/kernels/leaky_relu_golden.h: two
// slopes), each run directly and in place over its input.
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/leaky_relu_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class LeakyReluGolden : public ::testing::TestWithParam<golden::UnaryCase> {};

TEST_P(LeakyReluGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kLeakyRelu);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

TEST_P(LeakyReluGolden, MatchesNumPyInPlace) {
  golden::GoldenModel m =
      golden::UnaryModel(GetParam(), OpCode::kLeakyRelu, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, LeakyReluGolden, ::testing::ValuesIn(golden::kLeakyReluCases),
                         golden::CaseName());

}  // namespace
}  // namespace vigil
