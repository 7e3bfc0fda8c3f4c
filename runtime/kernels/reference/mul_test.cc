// Mul: golden cases in float64 NumPy with broadcasting (testing/golden/kernels/mul_golden.h: same
// shapes, scalars, rows, columns, either input broadcast, rank 5, a constant operand, a fused
// activation), each also run in place over input 0 where the shapes allow it.
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/mul_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class MulGolden : public ::testing::TestWithParam<golden::BinaryCase> {};

TEST_P(MulGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::BinaryModel(GetParam(), OpCode::kMul);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(NumPy, MulGolden, ::testing::ValuesIn(golden::kMulCases),
                         golden::CaseName());

class MulGoldenInPlace : public ::testing::TestWithParam<golden::BinaryCase> {};

TEST_P(MulGoldenInPlace, MatchesNumPy) {
  golden::GoldenModel m = golden::BinaryModel(GetParam(), OpCode::kMul, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, MulGoldenInPlace,
                         ::testing::ValuesIn(golden::InPlaceCases(golden::kMulCases)),
                         golden::CaseName());

}  // namespace
}  // namespace vigil
