// Requantizer, the requantization every int8 op runs per output, against docs/int8_spec.md written
// out step by step (Sat32, SRDHM, RDBPOT, the zero point, the clamp): byte for byte on every shift
// QuantizeMultiplier can give, multipliers at and between their ends, accumulators at the int32
// and 2^32 limits and on rounding ties, zero points -128 and 127, and clamp ranges including an
// empty one (lo > hi).
#include "kernels/reference/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace vigil::kernels {
namespace {

// The spec's Requantize(Sat32(acc), M, shift, zp, lo, hi), one step per line of section 2.
int8_t SpecRequantize(int64_t acc, QuantizedMultiplier m, int32_t zp, int32_t lo, int32_t hi) {
  const int32_t x = Saturate32(acc);
  const int left = m.shift > 0 ? m.shift : 0, right = m.shift > 0 ? 0 : -m.shift;
  const int32_t scaled = Rdbpot(
      Srdhm(Saturate32(static_cast<int64_t>(x) * (int64_t{1} << left)), m.multiplier), right);
  return static_cast<int8_t>(Clamp(static_cast<int64_t>(scaled) + zp, lo, hi));
}

::testing::AssertionResult SameAsSpec(int64_t acc, QuantizedMultiplier m, int32_t zp, int32_t lo,
                                      int32_t hi) {
  const int8_t got = Requantizer(m, zp, lo, hi)(acc), want = SpecRequantize(acc, m, zp, lo, hi);
  if (got == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "acc " << acc << ", M " << m.multiplier << ", shift " << m.shift << ", zp " << zp
         << ", [" << lo << ", " << hi << "]: " << int{got} << " where the spec gives " << int{want};
}

TEST(Requantizer, RoundsTiesAsTheSpecSays) {
  // M = 2^30 is 0.5: SRDHM rounds a half up (1 * 0.5 -> 1, -1 * 0.5 -> 0), RDBPOT away from zero.
  const QuantizedMultiplier half{1 << 30, 0}, quarter{1 << 30, -1};
  EXPECT_EQ(Requantizer(half, 0, -128, 127)(1), 1);
  EXPECT_EQ(Requantizer(half, 0, -128, 127)(-1), 0);
  EXPECT_EQ(Requantizer(half, 0, -128, 127)(-3), -1);
  EXPECT_EQ(Requantizer(quarter, 0, -128, 127)(2), 1);
  EXPECT_EQ(Requantizer(quarter, 0, -128, 127)(-2), -1);
  EXPECT_EQ(Requantizer(quarter, 0, -128, 127)(-6), -2);  // -6 x 0.25 = -1.5 -> -2
  EXPECT_EQ(Requantizer(quarter, 5, -128, 127)(-6), 3);
}

TEST(Requantizer, MatchesTheSpecAtTheEnds) {
  const int64_t accs[] = {0,
                          1,
                          -1,
                          2,
                          -2,
                          3,
                          -3,
                          127,
                          -128,
                          INT32_MAX,
                          INT32_MIN,
                          INT32_MAX - 1,
                          INT32_MIN + 1,
                          int64_t{1} << 31,
                          -(int64_t{1} << 31) - 1,
                          int64_t{1} << 32,
                          -(int64_t{1} << 32),
                          1 << 30,
                          -(1 << 30),
                          (1 << 30) - 1,
                          -(1 << 30) + 1};
  // QuantizeMultiplier's range ([2^30, 2^31) and 0) and, beyond it, any int32: the single shift is
  // exact for all of them (INT32_MIN x INT32_MIN is SRDHM's saturating case).
  const int32_t multipliers[] = {
      0,     1 << 30, (1 << 30) + 1, 1518500250,    INT32_MAX - 1, INT32_MAX, 1,
      12345, -1,      -(1 << 30),    INT32_MIN + 1, INT32_MIN};
  const int32_t ranges[][2] = {{-128, 127}, {-128, -128}, {127, 127}, {0, 127},
                               {-20, 30},   {30, -20},    {127, -128}};
  for (int shift = -31; shift <= 30; ++shift) {
    for (int32_t multiplier : multipliers) {
      for (int64_t acc : accs) {
        for (int32_t zp : {-128, 127, 0, -1}) {
          for (const auto& r : ranges) {
            ASSERT_TRUE(SameAsSpec(acc, {multiplier, shift}, zp, r[0], r[1]));
          }
        }
      }
    }
  }
}

// Accumulators chosen so that the result lands inside [-128, 127], on or next to a rounding tie of
// either step, where a wrong rounding term cannot hide behind the clamp.
TEST(Requantizer, MatchesTheSpecOnRoundingTiesInsideTheRange) {
  std::mt19937_64 rng(7);
  for (int shift = -31; shift <= 30; ++shift) {
    for (int trial = 0; trial < 20000; ++trial) {
      const int32_t multiplier =
          trial % 5 == 0 ? 1 << 30 : (1 << 30) + static_cast<int32_t>(rng() % (1u << 30));
      const double target =
          static_cast<double>(static_cast<int>(rng() % 400) - 200) + (trial % 2 ? 0.5 : 0.0);
      const double real = target * std::ldexp(1.0, 31 - shift) / multiplier;
      if (std::fabs(real) > 4e9) continue;
      const int64_t acc = std::llround(real) + static_cast<int>(rng() % 5) - 2;
      const int32_t zp = static_cast<int32_t>(rng() % 256) - 128;
      ASSERT_TRUE(SameAsSpec(acc, {multiplier, shift}, zp, -128, 127));
    }
  }
}

TEST(Requantizer, MatchesTheSpecOnRandomValues) {
  std::mt19937_64 rng(11);
  for (int shift = -31; shift <= 30; ++shift) {
    for (int trial = 0; trial < 20000; ++trial) {
      const int32_t multiplier = trial % 4 == 0
                                     ? static_cast<int32_t>(rng())
                                     : (1 << 30) + static_cast<int32_t>(rng() % (1u << 30));
      int64_t acc = 0;
      switch (trial % 3) {
        case 0: acc = static_cast<int32_t>(rng()); break;  // any int32
        case 1:
          acc = static_cast<int64_t>(rng() % (uint64_t{1} << 33)) - (int64_t{1} << 32);
          break;                                                            // to 2^32
        default: acc = static_cast<int32_t>(rng()) >> (rng() % 32); break;  // all sizes
      }
      const int32_t zp =
          trial % 7 == 0 ? 127 : (trial % 7 == 1 ? -128 : static_cast<int32_t>(rng() % 256) - 128);
      int32_t lo = -128, hi = 127;
      if (trial % 3 == 0) {
        lo = static_cast<int32_t>(rng() % 256) - 128;
        hi = static_cast<int32_t>(rng() % 256) - 128;
      }
      ASSERT_TRUE(SameAsSpec(acc, {multiplier, shift}, zp, lo, hi));
    }
  }
}

// What the ops build it from: QuantizeMultiplier of scale ratios across the whole range it covers.
TEST(Requantizer, MatchesTheSpecForQuantizedScaleRatios) {
  std::mt19937_64 rng(13);
  for (int trial = 0; trial < 200000; ++trial) {
    const double m = std::ldexp(0.5 + static_cast<double>(rng() % 1000000) / 2e6,
                                static_cast<int>(rng() % 64) - 33);
    const QuantizedMultiplier q = QuantizeMultiplier(m);
    const int64_t acc = static_cast<int32_t>(rng()) >> (rng() % 32);
    const int32_t zp = static_cast<int32_t>(rng() % 256) - 128;
    ASSERT_TRUE(SameAsSpec(acc, q, zp, -128, 127));
  }
}

}  // namespace
}  // namespace vigil::kernels
