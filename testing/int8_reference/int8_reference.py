"""Vigil's int8 arithmetic, written in NumPy from docs/int8_spec.md, sections 1 to 4.

This is the arithmetic core of the independent reference: the fixed-point multipliers of section 2
(QuantizeMultiplier, SRDHM, RDBPOT, MBQM), the output clamp of fused activations (section 3) and the
boundary ops Quantize / Dequantize (section 4). The ops of section 5 live in the *_ops.py modules
beside this one and are built from these functions only.

Integers are carried as NumPy int64 so that the spec's int32 expressions (and their int64
intermediates) are computed exactly; every place where the spec says a value is int32 checks that it
is, and raises Int8SpecError when a model breaks that promise instead of silently wrapping.

    m, shift = quantize_multiplier(0.5)          # (2**30, 0)
    y = requantize(acc, m, shift, zp_y, lo, hi)  # int8 array
"""
import dataclasses
import math

import numpy as np

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


class Int8SpecError(ValueError):
    """A model or an argument that docs/int8_spec.md does not define (the message says where)."""


@dataclasses.dataclass(frozen=True)
class QuantParams:
    """One tensor's quantization: real = scale * (q - zero_point). scale is float32; per-channel
    tensors carry an array of scales and the axis they run along."""
    scale: object  # np.float32, or a float32 array for per-channel weights
    zero_point: int = 0
    axis: int = -1


@dataclasses.dataclass(frozen=True)
class FusedActivation:
    """The Activation table of vgl.fbs: kind is 'none', 'relu', 'clip' or 'leaky_relu'."""
    kind: str = 'none'
    min: float = 0.0
    max: float = 0.0
    alpha: float = 0.01


def round_half_away(x):
    """RoundHalfAway (section 1): nearest integer, halves away from zero, as C's round/roundf.

    x - trunc(x) is exact in binary floating point, so the comparison with 0.5 decides ties exactly
    (unlike floor(x + 0.5), which misrounds 0.49999999999999994). Keeps x's float dtype."""
    x = np.asarray(x)
    whole = np.trunc(x)
    with np.errstate(invalid='ignore'):  # inf - inf: NaN, which is not >= 0.5, so inf stays inf
        step = np.where(np.abs(x - whole) >= 0.5, np.sign(x), 0).astype(x.dtype)
    return whole + step


def sat32(v):
    """Sat32 (section 1): clamp to [-2^31, 2^31 - 1]."""
    return np.clip(np.asarray(v, dtype=np.int64), INT32_MIN, INT32_MAX)


def check_int32(v, what):
    """Raises Int8SpecError when a value the spec declares int32 does not fit (e.g. an accumulator
    the compiler promised cannot overflow, section 1)."""
    v = np.asarray(v)
    if v.size and (v.min() < INT32_MIN or v.max() > INT32_MAX):
        raise Int8SpecError(f'{what} leaves int32 (range [{v.min()}, {v.max()}]); section 1 says '
                            'the compiler only emits models where it cannot')
    return v


def trunc_div(a, b):
    """Integer division truncating toward zero (C semantics, section 1), for int64 arrays."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    q = np.abs(a) // np.abs(b)
    return np.where((a < 0) != (b < 0), -q, q)


def quantize_multiplier(m):
    """QuantizeMultiplier (section 2): the double m >= 0 as (int32 M, int shift), so that
    m ~ M * 2^(shift - 31)."""
    m = float(m)
    if not m >= 0 or math.isinf(m):
        raise Int8SpecError(f'QuantizeMultiplier is defined for finite m >= 0, got {m!r}')
    if m == 0:
        return 0, 0
    f, e = math.frexp(m)
    mq = int(round_half_away(f * 2.0**31))
    if mq == 2**31:
        mq, e = 2**30, e + 1
    if e < -31:
        return 0, 0
    if e > 30:
        return INT32_MAX, 30
    return mq, e


def quantize_multipliers(ms):
    """quantize_multiplier over (per-channel) multipliers: (M int64[], shift int64[])."""
    pairs = [quantize_multiplier(m) for m in np.asarray(ms, dtype=np.float64).ravel()]
    return (np.array([p[0] for p in pairs], dtype=np.int64),
            np.array([p[1] for p in pairs], dtype=np.int64))


def effective_multiplier(s_a, s_b, s_out):
    """(double)s_a * (double)s_b / (double)s_out, in that order (section 2). s_b may be an array."""
    return np.float64(s_a) * np.asarray(s_b, dtype=np.float64) / np.float64(s_out)


def srdhm(a, b):
    """SRDHM (section 2): saturating rounding doubling high multiply of int32 values (arrays)."""
    a = check_int32(np.asarray(a, dtype=np.int64), 'SRDHM operand a')
    b = check_int32(np.asarray(b, dtype=np.int64), 'SRDHM operand b')
    p = a * b  # |p| <= 2^62: exact in int64
    nudge = np.where(p >= 0, np.int64(2**30), np.int64(1 - 2**30))
    result = trunc_div(p + nudge, 2**31)
    return np.where((a == INT32_MIN) & (b == INT32_MIN), np.int64(INT32_MAX), result)


def rdbpot(x, n):
    """RDBPOT (section 2): rounding divide of int32 x by 2^n, 0 <= n <= 31, ties away from zero."""
    x = check_int32(np.asarray(x, dtype=np.int64), 'RDBPOT operand')
    n = np.asarray(n, dtype=np.int64)
    if n.size and (n.min() < 0 or n.max() > 31):
        raise Int8SpecError(f'RDBPOT exponent outside [0, 31]: {n.min()}..{n.max()}')
    mask = (np.int64(1) << n) - 1
    rem = x & mask  # two's complement bits, as C's int64 '&' on a sign-extended int32
    threshold = (mask >> 1) + (x < 0)
    return (x >> n) + (rem > threshold)


def mbqm(x, m, shift):
    """MBQM (section 2): int32 x times the quantized multiplier (M, shift); arrays broadcast."""
    x = check_int32(np.asarray(x, dtype=np.int64), 'MBQM operand')
    shift = np.asarray(shift, dtype=np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    x1 = sat32(x * (np.int64(1) << left))  # |x| * 2^30 < 2^62: exact before saturation
    return rdbpot(srdhm(x1, m), right)


def requantize(acc, m, shift, zp_y, lo=-128, hi=127):
    """Requantize (section 1): Clamp(MBQM(acc, M, shift) + zp_y, lo, hi) as int8, the last step of
    every arithmetic op. The sum is exact (int64): MBQM may saturate at 2^31 - 1 and the zero point
    must not wrap it."""
    y = mbqm(acc, m, shift) + np.int64(zp_y)
    return clamp(y, lo, hi).astype(np.int8)


def clamp(v, lo, hi):
    """Clamp(v, lo, hi) = min(max(v, lo), hi) (section 1: with lo > hi every value becomes hi)."""
    return np.minimum(np.maximum(v, lo), hi)


def quantize_real(v, q):
    """Q(v) of section 3: zp + RoundHalfAway(Clamp((double)v / (double)s, -1e9, 1e9))."""
    t = float(np.float64(np.float32(v)) / np.float64(q.scale))
    return int(q.zero_point + round_half_away(min(max(t, -1e9), 1e9)))


def activation_range(activation, q_out):
    """[lo, hi] of section 3 for a fused activation and the op's output quantization q_out."""
    kind = activation.kind
    if kind == 'none':
        return -128, 127
    if kind == 'relu':
        return max(-128, q_out.zero_point), 127
    if kind == 'clip':
        # Each bound is clamped into int8, so a Clip wholly outside the output's range still has
        # one: every value becomes the int8 value nearest the clip range (Clamp gives hi).
        return (int(clamp(quantize_real(activation.min, q_out), -128, 127)),
                int(clamp(quantize_real(activation.max, q_out), -128, 127)))
    if kind == 'leaky_relu':
        raise Int8SpecError('LeakyRelu is never fused in int8 (section 3): it must be its own op')
    raise Int8SpecError(f'unknown fused activation {kind!r}')


def quantize(x, q):
    """Quantize (section 4): float32 x to int8 at q; x / s is a float32 division; NaN -> zp."""
    x = np.asarray(x)
    if x.dtype != np.float32:
        raise Int8SpecError(f'Quantize takes float32, got {x.dtype}')
    with np.errstate(divide='ignore', invalid='ignore', over='ignore'):
        ratio = np.divide(x, np.float32(q.scale), dtype=np.float32)
    # Exact in double: a rounded float32 is an integer, and adding zp to it cannot round.
    rounded = round_half_away(ratio).astype(np.float64) + q.zero_point
    y = np.clip(rounded, -128, 127)
    y = np.where(np.isnan(x), q.zero_point, y)
    return y.astype(np.int8)


def dequantize(q_values, q):
    """Dequantize (section 4): s * (float)(q - zp), a float32 product."""
    q_values = np.asarray(q_values)
    if q_values.dtype != np.int8:
        raise Int8SpecError(f'Dequantize takes int8, got {q_values.dtype}')
    centred = (q_values.astype(np.int32) - np.int32(q.zero_point)).astype(np.float32)
    return np.multiply(np.float32(q.scale), centred, dtype=np.float32)
