"""Known answers for docs/int8_spec.md sections 1 to 4: the fixed-point functions, the fused
activation clamp and Quantize/Dequantize. Expected values are worked out by hand (the comments show
the working) or computed another way with exact Python integers and fractions."""
import fractions
import math
import random
import unittest

import numpy as np

from int8_reference import (INT32_MAX, INT32_MIN, FusedActivation, Int8SpecError, QuantParams,
                            activation_range, clamp, dequantize, mbqm, quantize,
                            quantize_multiplier, rdbpot, requantize, round_half_away, srdhm)


class RoundHalfAwayTest(unittest.TestCase):
    def test_ties_go_away_from_zero(self):
        x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.49999999999999994])
        np.testing.assert_array_equal(round_half_away(x), [1, 2, 3, -1, -2, -3, 0, -0])

    def test_float32_stays_float32(self):
        y = round_half_away(np.array([2.5, -2.5], np.float32))
        self.assertEqual(y.dtype, np.float32)
        np.testing.assert_array_equal(y, [3, -3])


class QuantizeMultiplierTest(unittest.TestCase):
    def test_known_answers(self):
        cases = [
            (0.0, (0, 0)),
            (0.5, (2**30, 0)),               # 0.5 = 0.5 * 2^0
            (1.0, (2**30, 1)),               # 1 = 0.5 * 2^1
            (0.75, (3 * 2**29, 0)),          # 0.75 * 2^31
            (0.25, (2**30, -1)),
            (1 - 2**-40, (2**30, 1)),        # f * 2^31 rounds up to 2^31: renormalised
            (0.5 + 2**-32, (2**30 + 1, 0)),  # f * 2^31 = 2^30 + 0.5: tie rounds away
            (2**-32, (2**30, -31)),          # smallest exponent kept
            (2**-33, (0, 0)),                # e = -32 < -31: flushed to zero
            (2**29, (2**30, 30)),            # largest exponent kept
            (2**30, (INT32_MAX, 30)),        # e = 31 > 30: saturated
        ]
        for m, expected in cases:
            self.assertEqual(quantize_multiplier(m), expected, msg=f'm = {m!r}')

    def test_within_half_a_unit_of_the_exact_value(self):
        rng = random.Random(3)
        for _ in range(2000):
            m = math.ldexp(0.5 + rng.random() / 2, rng.randint(-31, 30))  # frexp exponent kept
            mult, shift = quantize_multiplier(m)
            self.assertTrue(2**30 <= mult < 2**31, m)
            exact = fractions.Fraction(m) * 2**(31 - shift)  # M approximates this
            self.assertLessEqual(abs(mult - exact), fractions.Fraction(1, 2), m)

    def test_rejects_negative_and_nan(self):
        for m in (-0.5, float('nan'), float('inf')):
            with self.assertRaises(Int8SpecError):
                quantize_multiplier(m)


def _srdhm_exact(a, b):
    """Round half up of a*b / 2^31 with Python integers (gemmlowp's nudge does exactly this)."""
    return (2 * a * b + 2**31) // 2**32


def _rdbpot_exact(x, n):
    """Round half away from zero of x / 2^n with Python integers."""
    q, r = divmod(abs(x), 2**n)
    q += 2 * r >= 2**n
    return q if x >= 0 else -q


class SrdhmTest(unittest.TestCase):
    def test_known_answers(self):
        cases = [
            ((INT32_MIN, INT32_MIN), INT32_MAX),      # the one overflowing product saturates
            ((1, 2**30), 1),                          # 0.5 -> 1
            ((-1, 2**30), 0),                         # -0.5 -> 0: ties round up, not away
            ((3, 2**30), 2),                          # 1.5 -> 2
            ((-3, 2**30), -1),                        # -1.5 -> -1
            ((2**30, 2**30), 2**29),                  # 2^60 / 2^31
            ((INT32_MAX, INT32_MAX), INT32_MAX - 1),  # (2^31-1)^2 / 2^31 = 2^31 - 2 + 2^-31
            ((INT32_MIN, INT32_MAX), -INT32_MAX),     # exactly -(2^31 - 1): no rounding
            ((0, INT32_MIN), 0),
        ]
        for (a, b), expected in cases:
            self.assertEqual(int(srdhm(a, b)), expected, msg=f'SRDHM({a}, {b})')

    def test_matches_exact_rounding_on_random_operands(self):
        rng = np.random.default_rng(5)
        a = rng.integers(INT32_MIN, INT32_MAX, 5000, endpoint=True)
        b = rng.integers(INT32_MIN, INT32_MAX, 5000, endpoint=True)
        expected = [_srdhm_exact(int(x), int(y)) for x, y in zip(a, b)]
        np.testing.assert_array_equal(srdhm(a, b), expected)


class RdbpotTest(unittest.TestCase):
    def test_ties_round_away_from_zero(self):
        cases = [((5, 1), 3), ((-5, 1), -3), ((3, 1), 2), ((-3, 1), -2), ((7, 2), 2), ((-7, 2), -2),
                 ((6, 2), 2), ((-6, 2), -2), ((-4, 1), -2), ((1, 1), 1), ((-1, 1), -1),
                 ((0, 5), 0), ((123, 0), 123), ((-123, 0), -123)]
        for (x, n), expected in cases:
            self.assertEqual(int(rdbpot(x, n)), expected, msg=f'RDBPOT({x}, {n})')

    def test_extreme_shift(self):
        self.assertEqual(int(rdbpot(INT32_MIN, 31)), -1)
        self.assertEqual(int(rdbpot(2**30, 31)), 1)     # exactly 0.5
        self.assertEqual(int(rdbpot(-2**30, 31)), -1)   # exactly -0.5
        self.assertEqual(int(rdbpot(2**30 - 1, 31)), 0)
        self.assertEqual(int(rdbpot(INT32_MAX, 31)), 1)

    def test_matches_exact_rounding_on_random_operands(self):
        rng = np.random.default_rng(7)
        x = rng.integers(INT32_MIN, INT32_MAX, 5000, endpoint=True)
        n = rng.integers(0, 31, 5000, endpoint=True)
        expected = [_rdbpot_exact(int(a), int(b)) for a, b in zip(x, n)]
        np.testing.assert_array_equal(rdbpot(x, n), expected)

    def test_rejects_shift_outside_range(self):
        with self.assertRaises(Int8SpecError):
            rdbpot(1, 32)


class MbqmTest(unittest.TestCase):
    def test_known_answers(self):
        self.assertEqual(int(mbqm(100, 2**30, 1)), 100)      # m = 1.0 is exact
        self.assertEqual(int(mbqm(-100, 2**30, 1)), -100)
        self.assertEqual(int(mbqm(3, 2**30, 0)), 2)          # 1.5: SRDHM rounds up
        self.assertEqual(int(mbqm(-3, 2**30, 0)), -1)        # -1.5: SRDHM rounds up too
        self.assertEqual(int(mbqm(3, 2**30, -1)), 1)         # SRDHM 2, then RDBPOT(2, 1) = 1
        self.assertEqual(int(mbqm(5, 2**30, -1)), 2)         # 1.25: SRDHM 3, RDBPOT(3, 1) = 2
        self.assertEqual(int(mbqm(-5, 2**30, -1)), -1)       # -1.25: SRDHM -2, RDBPOT(-2, 1) = -1

    def test_left_shift_saturates_before_multiplying(self):
        # x * 2^3 = 2^33 saturates to 2^31 - 1; SRDHM(2^31 - 1, 2^30) = 2^30.
        self.assertEqual(int(mbqm(2**30, 2**30, 3)), 2**30)
        # -2^33 saturates to -2^31; SRDHM(-2^31, 2^30) = -2^30.
        self.assertEqual(int(mbqm(-2**30, 2**30, 3)), -2**30)

    def test_per_channel_broadcast(self):
        y = mbqm(np.array([[10, 10]]), np.array([2**30, 2**30]), np.array([1, 0]))
        np.testing.assert_array_equal(y, [[10, 5]])

    def test_rejects_operand_outside_int32(self):
        with self.assertRaises(Int8SpecError):
            mbqm(2**31, 2**30, 0)

    def test_requantize_sums_zero_point_without_wrapping(self):
        # MBQM saturates to 2^31 - 1; adding zp = 5 must still clamp to 127, not wrap negative.
        y = requantize(np.array([2**30]), INT32_MAX, 30, 5)
        np.testing.assert_array_equal(y, [127])


class ActivationRangeTest(unittest.TestCase):
    def test_ranges(self):
        q = QuantParams(np.float32(0.5), -10)
        self.assertEqual(activation_range(FusedActivation('none'), q), (-128, 127))
        self.assertEqual(activation_range(FusedActivation('relu'), q), (-10, 127))
        # Clip(-1, 6): Q(-1) = -10 + round(-2) = -12; Q(6) = -10 + 12 = 2.
        self.assertEqual(activation_range(FusedActivation('clip', -1.0, 6.0), q), (-12, 2))
        # Clip(0.25, 100): Q(0.25) = -10 + round(0.5) = -9 (away); Q(100) = 190 -> 127.
        self.assertEqual(activation_range(FusedActivation('clip', 0.25, 100.0), q), (-9, 127))
        # The -1e9 clamp keeps a -inf bound finite: lo = max(-128, -1e9 - 10).
        self.assertEqual(activation_range(FusedActivation('clip', -math.inf, 0.0), q), (-128, -10))

    def test_clip_outside_the_output_range(self):
        q = QuantParams(np.float32(0.01), 0)  # represents [-1.28, 1.27]
        # min above the range: Q(2) = 200 and Q(6) = 600 both clamp to 127; every value is 127.
        lo, hi = activation_range(FusedActivation('clip', 2.0, 6.0), q)
        self.assertEqual((lo, hi), (127, 127))
        np.testing.assert_array_equal(requantize(np.array([-500, 0, 5]), 2**30, 1, 0, lo, hi),
                                      [127, 127, 127])
        # max below the range: Q(-6) = -600 and Q(-2) = -200 clamp to -128 (section 3 keeps hi
        # inside int8); every value is -128.
        lo, hi = activation_range(FusedActivation('clip', -6.0, -2.0), q)
        self.assertEqual((lo, hi), (-128, -128))
        np.testing.assert_array_equal(requantize(np.array([-5, 0, 500]), 2**30, 1, 0, lo, hi),
                                      [-128, -128, -128])
        # Only the max below: lo = Q(-3) = -300 -> -128, hi = Q(-1.5) = -150 -> -128.
        self.assertEqual(activation_range(FusedActivation('clip', -3.0, -1.5), q), (-128, -128))
        # Bounds that straddle the range's edge: Q(-1.5) = -150 -> -128, Q(-1.2) = -120 stays.
        self.assertEqual(activation_range(FusedActivation('clip', -1.5, -1.2), q), (-128, -120))

    def test_clamp_with_crossed_bounds_gives_hi(self):
        # Section 1: Clamp = min(max(v, lo), hi), so lo > hi maps everything to hi.
        np.testing.assert_array_equal(clamp(np.array([-9, 0, 9]), 5, -5), [-5, -5, -5])

    def test_relu_with_zero_point_at_the_bottom(self):
        q = QuantParams(np.float32(1), -128)
        self.assertEqual(activation_range(FusedActivation('relu'), q), (-128, 127))

    def test_leaky_relu_is_never_fused(self):
        with self.assertRaises(Int8SpecError):
            activation_range(FusedActivation('leaky_relu'), QuantParams(np.float32(1), 0))


class BoundaryOpsTest(unittest.TestCase):
    def test_quantize(self):
        x = np.array([0.5, -0.5, 0.25, 1000, -1000, np.nan, 0.375, -0.375, np.inf, -np.inf],
                     np.float32)
        # x / 0.25 = 2, -2, 1, 4000, -4000, NaN, 1.5, -1.5, inf, -inf; + zp 3, ties away, clamp.
        np.testing.assert_array_equal(quantize(x, QuantParams(np.float32(0.25), 3)),
                                      [5, 1, 4, 127, -128, 3, 5, 1, 127, -128])

    def test_quantize_divides_in_float32(self):
        # In float32, 9.95f / 0.1f is exactly 99.5 (rounds away to 100); in double it is
        # 99.49999660998589 (would round to 99).
        x = np.array([9.95, -9.95], np.float32)
        np.testing.assert_array_equal(quantize(x, QuantParams(np.float32(0.1), 0)), [100, -100])

    def test_quantize_zero_point_extremes(self):
        x = np.array([0.0, 1.0, -1.0], np.float32)
        np.testing.assert_array_equal(quantize(x, QuantParams(np.float32(1 / 128), -128)),
                                      [-128, 0, -128])
        np.testing.assert_array_equal(quantize(x, QuantParams(np.float32(1 / 128), 127)),
                                      [127, 127, -1])

    def test_dequantize(self):
        y = dequantize(np.array([-128, 127, -1], np.int8), QuantParams(np.float32(0.5), -1))
        self.assertEqual(y.dtype, np.float32)
        np.testing.assert_array_equal(y, [-63.5, 64.0, 0.0])

    def test_dequantize_is_one_float32_product(self):
        # 0.1f * 3.0f rounds once in float32: 0.3000000119..., not the double product rounded.
        y = dequantize(np.array([3], np.int8), QuantParams(np.float32(0.1), 0))
        self.assertEqual(y[0], np.float32(np.float32(0.1) * np.float32(3.0)))
        self.assertEqual(float(y[0]), 0.30000001192092896)

    def test_type_errors(self):
        with self.assertRaises(Int8SpecError):
            quantize(np.zeros(2, np.float64), QuantParams(np.float32(1), 0))
        with self.assertRaises(Int8SpecError):
            dequantize(np.zeros(2, np.int32), QuantParams(np.float32(1), 0))


if __name__ == '__main__':
    unittest.main()
