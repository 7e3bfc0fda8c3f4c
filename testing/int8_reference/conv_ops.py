"""Conv, ConvTranspose, Gemm and MatMul in int8 (docs/int8_spec.md sections 5.1 to 5.4).

The integer sums are formed with float64 matrix products: every term is an integer of magnitude at
most 255 * 255 < 2^16 and every partial sum stays far below 2^53, so each sum is exact whatever
order BLAS adds in; the results are converted back to int64 before any rounding step.
"""
import itertools

import numpy as np

from int8_reference import (Int8SpecError, activation_range, check_int32, effective_multiplier,
                            quantize_multipliers, requantize)
from window_geometry import MAX_PADDED_ELEMENTS, Window, gather_taps

# Keeps float64 sums of terms below 2^16 exact (section comment above).
_MAX_EXACT_TERMS = 2**36


def _check_weights(w, q_w, what):
    """Section 1: weights are int8 in [-127, 127] with zero point 0."""
    if w.dtype != np.int8:
        raise Int8SpecError(f'{what} weights must be int8, got {w.dtype}')
    if q_w.zero_point != 0:
        raise Int8SpecError(f'{what} weights must have zero point 0, got {q_w.zero_point}')
    if w.size and w.min() < -127:
        raise Int8SpecError(f'{what} weights must lie in [-127, 127]; found -128')


def _channel_scales(q_w, channels, axis, what):
    """The weight scales as one per output channel: per-channel along `axis`, or one broadcast."""
    scales = np.atleast_1d(np.asarray(q_w.scale, dtype=np.float32))
    if scales.size == 1:
        return np.repeat(scales, channels)
    if q_w.axis != axis or scales.size != channels:
        raise Int8SpecError(f'{what} weight scales must be one per tensor or {channels} along axis '
                            f'{axis}; got {scales.size} along axis {q_w.axis}')
    return scales


def _output_multipliers(q_x, scales, q_y):
    """(M[m], shift[m]) = QuantizeMultiplier(s_x * s_w[m] / s_y)."""
    return quantize_multipliers(effective_multiplier(q_x.scale, scales, q_y.scale))


def _add_bias(acc, bias, channels, channel_axis, what):
    if bias is not None:
        if bias.dtype != np.int32 or bias.shape != (channels,):
            raise Int8SpecError(f'{what} bias must be int32 [{channels}], got {bias.dtype} '
                                f'{list(bias.shape)}')
        shape = [1] * acc.ndim
        shape[channel_axis] = channels
        acc = acc + bias.astype(np.int64).reshape(shape)
    return check_int32(acc, f'{what} accumulator')


def _requantize_channels(acc, m, shift, q_y, activation, channel_axis):
    shape = [1] * acc.ndim
    shape[channel_axis] = -1
    lo, hi = activation_range(activation, q_y)
    return requantize(acc, m.reshape(shape), shift.reshape(shape), q_y.zero_point, lo, hi)


def _float_integers(values, zero_point=0):
    """int8 values minus a zero point, as exact float64 integers."""
    return values.astype(np.float64) - float(zero_point)


def _to_int64(exact_float):
    return np.rint(exact_float).astype(np.int64)  # already integral: rint only drops the .0


def conv(x, q_x, w, q_w, bias, q_y, strides, pads, dilations, group, activation,
         out_spatial=None):
    """Section 5.1: x int8 [N, C, *S], w int8 [M, C/group, *K], bias int32 [M] or None.
    out_spatial, when given (the model's), must be ONNX's output size; it is checked first."""
    _check_weights(w, q_w, 'Conv')
    n, c = x.shape[:2]
    m = w.shape[0]
    if group < 1 or c % group or m % group or w.shape[1] * group != c or w.ndim != x.ndim:
        raise Int8SpecError(f'Conv shapes do not agree: x {list(x.shape)}, w {list(w.shape)}, '
                            f'group {group}')
    window = Window.from_params(w.shape[2:], strides, pads, dilations)
    if min(window.pads_begin + window.pads_end) < 0:
        raise Int8SpecError(f'Conv pads must be non-negative, got {pads}')
    onnx_spatial = [window.floor_output(a, length) for a, length in enumerate(x.shape[2:])]
    if out_spatial is not None and list(out_spatial) != onnx_spatial:
        raise Int8SpecError(f'Conv output size {list(out_spatial)} is not ONNX\'s {onnx_spatial}')
    out_spatial = onnx_spatial
    if min(out_spatial) < 1:
        raise Int8SpecError(f'Conv output would be empty: {out_spatial}')
    taps = gather_taps(_float_integers(x, q_x.zero_point), window, out_spatial, 0.0)
    terms = (c // group) * taps.shape[2]
    if terms > _MAX_EXACT_TERMS:
        raise Int8SpecError(f'Conv sums {terms} terms: beyond what this reference sums exactly')
    columns = taps.reshape(n, group, terms, -1)
    kernels = w.astype(np.float64).reshape(group, m // group, terms)
    acc = _to_int64(np.matmul(kernels[None], columns)).reshape([n, m] + out_spatial)
    acc = _add_bias(acc, bias, m, 1, 'Conv')
    mult, shift = _output_multipliers(q_x, _channel_scales(q_w, m, 0, 'Conv'), q_y)
    return _requantize_channels(acc, mult, shift, q_y, activation, 1)


def conv_transpose(x, q_x, w, q_w, bias, q_y, strides, pads, dilations, output_padding, group,
                   activation, out_spatial):
    """Section 5.2: x int8 [N, C, *S], w int8 [C, M/group, *K]; out_spatial from the model, checked
    against ONNX's output-size formula."""
    _check_weights(w, q_w, 'ConvTranspose')
    n, c = x.shape[:2]
    if group < 1 or c % group or w.shape[0] != c or w.ndim != x.ndim:
        raise Int8SpecError(f'ConvTranspose shapes do not agree: x {list(x.shape)}, '
                            f'w {list(w.shape)}, group {group}')
    m_group = w.shape[1]
    m = m_group * group
    window = Window.from_params(w.shape[2:], strides, pads, dilations)
    out_pad = tuple(output_padding) if len(output_padding) else (0,) * len(window.kernel)
    _check_transposed_size(x.shape[2:], window, out_pad, out_spatial)
    # contributions[n, m, tap, *S]: sum over the group's input channels, per kernel tap.
    xs = _float_integers(x, q_x.zero_point).reshape(n, group, c // group, -1)
    ws = w.astype(np.float64).reshape(group, c // group, -1).transpose(0, 2, 1)
    contributions = np.matmul(ws[None], xs).reshape([n, m, -1] + list(x.shape[2:]))
    acc = _to_int64(_scatter_taps(contributions, x.shape[2:], window, out_spatial))
    acc = _add_bias(acc, bias, m, 1, 'ConvTranspose')
    if group > 1 and np.atleast_1d(q_w.scale).size > 1:
        raise Int8SpecError('ConvTranspose has per-channel weight scales only when group = 1')
    axis_scales = _channel_scales(q_w, m_group, 1, 'ConvTranspose')
    mult, shift = _output_multipliers(q_x, np.tile(axis_scales, group), q_y)
    return _requantize_channels(acc, mult, shift, q_y, activation, 1)


def _check_transposed_size(in_spatial, window, out_pad, out_spatial):
    for a, length in enumerate(in_spatial):
        span = (window.kernel[a] - 1) * window.dilations[a] + 1
        expected = window.strides[a] * (length - 1) + out_pad[a] + span - \
            window.pads_begin[a] - window.pads_end[a]
        if out_spatial[a] != expected:
            raise Int8SpecError(f'ConvTranspose output length {out_spatial[a]} along spatial axis '
                                f'{a} is not ONNX\'s {expected}')


def _scatter_taps(contributions, in_spatial, window, out_spatial):
    """Adds each tap's contribution at output o = i * stride + k * dilation - pad_begin; outputs no
    tap reaches (negative pads, output_padding) stay 0."""
    shift, extent = [], []
    for a, length in enumerate(in_spatial):
        full = (length - 1) * window.strides[a] + (window.kernel[a] - 1) * window.dilations[a] + 1
        shift.append(max(0, -window.pads_begin[a]))
        extent.append(shift[-1] + max(full, out_spatial[a] + window.pads_begin[a]))
    if np.prod(contributions.shape[:2] + tuple(extent), dtype=np.float64) > MAX_PADDED_ELEMENTS:
        raise Int8SpecError(f'ConvTranspose extent {extent} is beyond what this reference runs')
    buffer = np.zeros(list(contributions.shape[:2]) + extent)
    for t, tap in enumerate(itertools.product(*(range(k) for k in window.kernel))):
        index = [slice(None), slice(None)]
        for a, k in enumerate(tap):
            start = shift[a] + k * window.dilations[a]
            index.append(slice(start, start + (in_spatial[a] - 1) * window.strides[a] + 1,
                               window.strides[a]))
        buffer[tuple(index)] += contributions[:, :, t]
    crop = [slice(None), slice(None)] + [
        slice(shift[a] + window.pads_begin[a], shift[a] + window.pads_begin[a] + out_spatial[a])
        for a in range(len(in_spatial))]
    return buffer[tuple(crop)]


def gemm(a, q_a, b, q_b, c, q_y, trans_a, trans_b, activation, alpha=1.0, beta=1.0):
    """Section 5.3: Y = A B' + C with A int8 activations, B int8 weights, C int32 [N] or None.
    The compiler folds alpha into B and beta into C and writes alpha = beta = 1; other values make
    the model invalid (they would say the file computes something it does not)."""
    if np.float32(alpha) != 1 or np.float32(beta) != 1:
        raise Int8SpecError(f'int8 Gemm needs alpha = beta = 1 (section 5.3), got alpha {alpha}, '
                            f'beta {beta}')
    _check_weights(b, q_b, 'Gemm')
    if a.ndim != 2 or b.ndim != 2:
        raise Int8SpecError(f'Gemm takes 2-d A and B, got {list(a.shape)} and {list(b.shape)}')
    a = a.T if trans_a else a
    b = b.T if trans_b else b
    if a.shape[1] != b.shape[0]:
        raise Int8SpecError(f'Gemm inner sizes differ: A {list(a.shape)}, B {list(b.shape)}')
    features = b.shape[1]
    acc = _to_int64(_float_integers(a, q_a.zero_point) @ b.astype(np.float64))
    acc = _add_bias(acc, c, features, 1, 'Gemm')
    scales = _channel_scales(q_b, features, 0 if trans_b else 1, 'Gemm')
    mult, shift = _output_multipliers(q_a, scales, q_y)
    return _requantize_channels(acc, mult, shift, q_y, activation, 1)


def matmul(a, q_a, b, q_b, q_y):
    """Section 5.4: both operands int8 activations (NumPy matmul shapes, as ONNX MatMul)."""
    for name, q in (('A', q_a), ('B', q_b)):
        if np.atleast_1d(q.scale).size != 1:
            raise Int8SpecError(f'MatMul operand {name} must be quantized per tensor')
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise Int8SpecError(f'MatMul inner sizes differ: {list(a.shape)} x {list(b.shape)}')
    acc = _to_int64(np.matmul(_float_integers(a, q_a.zero_point),
                              _float_integers(b, q_b.zero_point)))
    acc = check_int32(acc, 'MatMul accumulator')
    mult, shift = _output_multipliers(q_a, np.float32(q_b.scale), q_y)
    return requantize(acc, mult[0], shift[0], q_y.zero_point)
