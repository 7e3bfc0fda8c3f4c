// GoogleTest checks shared by the kernel golden tests (runtime/kernels/reference/<op>_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "host/error.h"
#include "testing/golden/golden_cases.h"
#include "testing/golden/golden_models.h"
#include "testing/op_test_model.h"

namespace vigil::testing::golden {

// Within |a - e| <= atol + rtol |e| of every expected value. The goldens are float64 results
// rounded to float32; the kernels accumulate in float32, so a few ulp is the honest bound (exact
// for most cases, whose inputs are multiples of 1/4).
inline void ExpectMatches(const std::vector<float>& actual, const Tensor& expected,
                          float rtol = 1e-5f, float atol = 1e-6f) {
  ASSERT_EQ(actual.size(), expected.values.size());
  int mismatches = 0;
  for (size_t i = 0; i < actual.size() && mismatches < 8; ++i) {
    const float e = expected.values[i];
    if (!(std::fabs(actual[i] - e) <= atol + rtol * std::fabs(e))) {
      ADD_FAILURE() << "element " << i << ": got " << actual[i] << ", expected " << e;
      ++mismatches;
    }
  }
}

// Runs a model built with Routing::kInPlace, checks its output, and that the planner really put the
// op's output over its input 0 (so the kernel ran in place, reading each element before writing
// it).
inline void ExpectInPlaceMatches(GoldenModel& m) {
  ExpectMatches(RunGolden(m), *m.expected);
  const auto& tensors = m.model->model().tensors;
  EXPECT_EQ(tensors[static_cast<size_t>(m.op_input)]->arena_offset,
            tensors[static_cast<size_t>(m.op_output)]->arena_offset)
      << "the planner did not run the op in place";
}

// The binary cases whose input 0 already has the output's shape: only those can run in place.
template <size_t N>
std::vector<BinaryCase> InPlaceCases(const BinaryCase (&cases)[N]) {
  std::vector<BinaryCase> fit;
  for (const BinaryCase& c : cases) {
    if (c.a.shape == c.y.shape) fit.push_back(c);
  }
  return fit;
}

// The runtime's message when it rejects the model at build time (verifier or an op's Prepare), or
// "" when the model builds.
inline std::string RejectionOf(OpTestModel& model) {
  try {
    model.Build();
  } catch (const HostError& error) {
    return error.what();
  }
  return "";
}

// Prints a golden case as its name in test output (instead of its bytes).
template <typename Case>
requires requires(const Case& c) {
  c.name;
}
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

// Names parameterised tests after the golden case.
struct CaseName {
  template <typename Info>
  std::string operator()(const Info& info) const {
    return info.param.name;
  }
};

}  // namespace vigil::testing::golden
