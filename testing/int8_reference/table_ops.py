"""Softmax and the table activations in int8 (docs/int8_spec.md sections 5.10 and 5.11).

The compiler stores each op's table in the model; this module builds the table the spec defines, so
the interpreter can check the stored one against it, and applies it. exp and tanh come from Python's
math module, i.e. the C library's double functions, as the compiler's are.
"""
import math

import numpy as np

from int8_reference import Int8SpecError, QuantParams, clamp, round_half_away

# Fixed output quantizations (sections 5.10, 5.11).
SOFTMAX_OUTPUT = QuantParams(np.float32(1 / 256), -128)
SIGMOID_OUTPUT = QuantParams(np.float32(1 / 256), -128)
TANH_OUTPUT = QuantParams(np.float32(1 / 128), 0)

_EXP_ONE = 65536  # T[255] = exp(0) * 2^16
_MAX_SOFTMAX_ROW = 32767


def exp_table(s_x):
    """Section 5.10: T[k] = RoundHalfAway(exp((double)s_x * (k - 255)) * 65536), int32[256]."""
    s = float(np.float32(s_x))
    return np.array([round_half_away(math.exp(s * (k - 255)) * _EXP_ONE) for k in range(256)],
                    dtype=np.int32)


def _exp(v):
    """C's exp: +inf on overflow where Python's math.exp raises."""
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def _activation_function(kind, alpha, lo, hi):
    if kind == 'sigmoid':
        return lambda r: 1.0 / (1.0 + _exp(-r))
    if kind == 'tanh':
        return math.tanh
    if kind == 'leaky_relu':
        return lambda r: r if r >= 0 else float(np.float32(alpha)) * r
    if kind == 'relu':
        return lambda r: max(r, 0.0)
    if kind == 'clip':
        return lambda r: min(max(r, float(np.float32(lo))), float(np.float32(hi)))
    raise Int8SpecError(f'no lookup table is defined for {kind!r}')


def lookup_table(kind, q_x, q_y, alpha=0.01, clip_min=0.0, clip_max=0.0):
    """Section 5.11: L[q + 128] for q = -128..127, int8[256]. kind: 'sigmoid', 'tanh',
    'leaky_relu', 'relu' or 'clip'."""
    f = _activation_function(kind, alpha, clip_min, clip_max)
    s_x, s_y = float(q_x.scale), float(q_y.scale)
    table = []
    for q in range(-128, 128):
        v = f(s_x * (q - q_x.zero_point))
        table.append(clamp(round_half_away(v / s_y) + q_y.zero_point, -128, 127))
    return np.array(table, dtype=np.int8)


def fixed_output(kind):
    """The output quantization section 5.10/5.11 fixes for an op, or None when the model chooses."""
    return {'softmax': SOFTMAX_OUTPUT, 'sigmoid': SIGMOID_OUTPUT, 'tanh': TANH_OUTPUT}.get(kind)


def apply_table(x, table):
    """y = L[q + 128]."""
    if table.dtype != np.int8 or table.shape != (256,):
        raise Int8SpecError(f'a lookup table is int8[256], got {table.dtype} {list(table.shape)}')
    return table[x.astype(np.int64) + 128]


def softmax(x, table, axis):
    """Section 5.10 along `axis`: e_j = T[q_j - qmax + 255], y_j = (e_j*256 + sum/2) / sum - 128."""
    if table.dtype != np.int32 or table.shape != (256,):
        raise Int8SpecError(f'the Softmax exp table is int32[256], got {table.dtype} '
                            f'{list(table.shape)}')
    if not -x.ndim <= axis < x.ndim:
        raise Int8SpecError(f'Softmax axis {axis} outside a rank-{x.ndim} tensor')
    if x.shape[axis] > _MAX_SOFTMAX_ROW:
        raise Int8SpecError(f'Softmax rows are at most {_MAX_SOFTMAX_ROW} long, got '
                            f'{x.shape[axis]}')
    q = x.astype(np.int64)
    e = table.astype(np.int64)[q - q.max(axis=axis, keepdims=True) + 255]
    total = e.sum(axis=axis, keepdims=True)
    if (table < 0).any() or (total <= 0).any():
        raise Int8SpecError('Softmax exp table gives a non-positive row sum')
    y = (e * 256 + total // 2) // total - 128  # all terms positive: floor == truncation
    return clamp(y, -128, 127).astype(np.int8)
