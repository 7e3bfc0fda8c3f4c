#include "signal/ecg/baseline_filter.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace vigil::ecg {
namespace {

// The definition, computed directly: z[n] = x[n] * 73 * 217 - sum over the long window of the short
// window sums, indices clamped to the record (the first and last samples repeated).
std::vector<int32_t> Direct(const std::vector<int32_t>& x) {
  const int64_t n = static_cast<int64_t>(x.size());
  auto clamp = [n](int64_t i) { return i < 0 ? 0 : i >= n ? n - 1 : i; };
  std::vector<int64_t> s1(x.size());
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = -36; k <= 36; ++k)
      s1[i] += x[clamp(i + k)];
  }
  std::vector<int32_t> z(x.size());
  for (int64_t i = 0; i < n; ++i) {
    int64_t s2 = 0;
    for (int64_t k = -108; k <= 108; ++k)
      s2 += s1[clamp(i + k)];
    z[i] = static_cast<int32_t>(x[i] * int64_t{kBaselineScale} - s2);
  }
  return z;
}

std::vector<int32_t> Streamed(const std::vector<int32_t>& x, int* ready_after) {
  BaselineFilter f;
  std::vector<int32_t> z;
  *ready_after = -1;
  for (size_t i = 0; i < x.size(); ++i) {
    int32_t v;
    if (f.Push(x[i], &v)) {
      if (*ready_after < 0) *ready_after = static_cast<int>(i);
      z.push_back(v);
    }
  }
  int32_t v;
  while (f.Drain(&v))
    z.push_back(v);
  return z;
}

TEST(BaselineFilter, StreamedOutputEqualsTheDirectDefinition) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> adc(-2048, 2047);
  std::vector<int32_t> x(2000);
  for (int32_t& v : x)
    v = adc(rng);
  int ready_after = 0;
  EXPECT_EQ(Streamed(x, &ready_after), Direct(x));
  EXPECT_EQ(ready_after, kBaselineDelay);  // z[0] comes out with x[144]
}

TEST(BaselineFilter, ShortSignalsStillDrainCompletely) {
  for (size_t n : {1u, 2u, 50u, 150u, 300u}) {
    std::vector<int32_t> x(n);
    for (size_t i = 0; i < n; ++i)
      x[i] = static_cast<int32_t>(i * 7 % 97) - 40;
    int ready_after = 0;
    EXPECT_EQ(Streamed(x, &ready_after), Direct(x)) << n << " samples";
  }
}

TEST(BaselineFilter, RemovesConstantOffsetAndLinearDriftAwayFromTheEdges) {
  std::vector<int32_t> x(3000);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = 1000 + static_cast<int32_t>(i / 4);  // slow ramp
  int ready_after = 0;
  const std::vector<int32_t> z = Streamed(x, &ready_after);
  // A centred symmetric average of a ramp is the ramp itself, up to the quarter-sample steps.
  for (size_t i = 400; i < 2600; ++i)
    EXPECT_LE(std::abs(z[i]), kBaselineScale) << i;
}

}  // namespace
}  // namespace vigil::ecg
