"""Add, Sub, Mul and Concat in int8 (docs/int8_spec.md sections 5.5 to 5.7). Broadcasting is
NumPy's, as ONNX's is."""
import numpy as np

from int8_reference import (Int8SpecError, activation_range, effective_multiplier, mbqm,
                            quantize_multiplier, requantize)

# Section 5.5: inputs are lifted by 2^20 before rescaling, so rescaling keeps 20 fractional bits.
_ADD_LEFT_SHIFT = 20


def _centred(q_values, q):
    return q_values.astype(np.int64) - q.zero_point


def add_sub(x1, q1, x2, q2, q_y, activation, subtract=False):
    """Section 5.5: y = x1 + x2 (or x1 - x2) through a common scale of 2 * max(s_1, s_2)."""
    twice_max = 2.0 * max(float(q1.scale), float(q2.scale))
    m1, shift1 = quantize_multiplier(float(q1.scale) / twice_max)
    m2, shift2 = quantize_multiplier(float(q2.scale) / twice_max)
    my, shifty = quantize_multiplier(twice_max / (float(1 << _ADD_LEFT_SHIFT) * float(q_y.scale)))
    v1 = mbqm(_centred(x1, q1) * 2**_ADD_LEFT_SHIFT, m1, shift1)
    v2 = mbqm(_centred(x2, q2) * 2**_ADD_LEFT_SHIFT, m2, shift2)
    raw = v1 - v2 if subtract else v1 + v2
    lo, hi = activation_range(activation, q_y)
    return requantize(raw, my, shifty, q_y.zero_point, lo, hi)


def mul(x1, q1, x2, q2, q_y, activation):
    """Section 5.6: raw = (q_1 - zp_1)(q_2 - zp_2), rescaled by s_1 * s_2 / s_y."""
    raw = _centred(x1, q1) * _centred(x2, q2)
    m, shift = quantize_multiplier(effective_multiplier(q1.scale, q2.scale, q_y.scale))
    lo, hi = activation_range(activation, q_y)
    return requantize(raw, m, shift, q_y.zero_point, lo, hi)


def concat(inputs, q_inputs, q_y, axis):
    """Section 5.7: inputs whose (s, zp) equal the output's are copied; the others are rescaled by
    s_i / s_y."""
    rank = inputs[0].ndim
    if not -rank <= axis < rank:
        raise Int8SpecError(f'Concat axis {axis} outside a rank-{rank} tensor')
    parts = []
    for x, q in zip(inputs, q_inputs):
        if np.float32(q.scale) == np.float32(q_y.scale) and q.zero_point == q_y.zero_point:
            parts.append(x)
            continue
        m, shift = quantize_multiplier(float(q.scale) / float(q_y.scale))
        parts.append(requantize(_centred(x, q), m, shift, q_y.zero_point))
    try:
        return np.concatenate(parts, axis=axis)
    except ValueError as error:
        raise Int8SpecError(f'Concat inputs do not agree: {error}') from None
