// Sub: golden cases in float64 NumPy with broadcasting (testing/golden/kernels/sub_golden.h: same
// shapes, scalars, rows, columns, either input broadcast, rank 5, a constant operand, a fused
// activation), each also run in place over input 0 where the shapes allow it.
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/sub_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;

class SubGolden : public ::testing::TestWithParam<golden::BinaryCase> {};

TEST_P(SubGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::BinaryModel(GetParam(), OpCode::kSub);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(NumPy, SubGolden, ::testing::ValuesIn(golden::kSubCases),
                         golden::CaseName());

class SubGoldenInPlace : public ::testing::TestWithParam<golden::BinaryCase> {};

TEST_P(SubGoldenInPlace, MatchesNumPy) {
  golden::GoldenModel m = golden::BinaryModel(GetParam(), OpCode::kSub, golden::Routing::kInPlace);
  golden::ExpectInPlaceMatches(m);
}

INSTANTIATE_TEST_SUITE_P(NumPy, SubGoldenInPlace,
                         ::testing::ValuesIn(golden::InPlaceCases(golden::kSubCases)),
                         golden::CaseName());

}  // namespace
}  // namespace vigil
