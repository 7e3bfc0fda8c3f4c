// Tanh: golden cases in float64 NumPy (testing/golden/kernels/tanh_golden.h: values to +-100), each
// run directly and in place over its input.
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/tanh_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class TanhGolden : public ::testing::TestWithParam<golden::UnaryCase> {};

TEST_P(TanhGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kTanh);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

TEST_P(TanhGolden, MatchesNumPyInPlace) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kTanh, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, TanhGolden, ::testing::ValuesIn(golden::kTanhCases),
                         golden::CaseName());

}  // namespace
}  // namespace vigil
