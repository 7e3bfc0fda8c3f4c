"""Resize in int8 (docs/int8_spec.md section 5.9): nearest, and linear with 10-bit fixed-point
weights per axis. Input and output share (s, zp). Source coordinates follow ONNX's
coordinate_transformation_mode formulas, evaluated in float32 one operation at a time."""
import numpy as np

from int8_reference import Int8SpecError, clamp

_F32 = np.float32
_WEIGHT_BITS = 10
_WEIGHT_ONE = 1 << _WEIGHT_BITS


def source_coordinates(out_length, in_length, scale, transform):
    """x_original for every output index along one axis, float32, as section 5.9 spells out: left
    to right, one rounding per operation, with the resized length R = scale * (float)L_in (ONNX's
    reference implementation), never the integer output length.
    transform: 'half_pixel', 'asymmetric', 'align_corners' or 'pytorch_half_pixel'."""
    o = np.arange(out_length).astype(_F32)
    scale = _F32(scale)
    if not (np.isfinite(scale) and scale > 0):
        raise Int8SpecError(f'Resize scales are positive and finite (ONNX), got {scale}')
    resized = scale * _F32(in_length)
    if transform == 'half_pixel':
        return (o + _F32(0.5)) / scale - _F32(0.5)
    if transform == 'asymmetric':
        return o / scale
    if transform == 'pytorch_half_pixel':
        if not resized > _F32(1):
            return np.zeros(out_length, _F32)
        return (o + _F32(0.5)) / scale - _F32(0.5)
    if transform == 'align_corners':
        if not resized > _F32(1):
            return np.zeros(out_length, _F32)
        return (o * _F32(in_length - 1)) / (resized - _F32(1))
    raise Int8SpecError(f'unknown coordinate transform {transform!r}')


def nearest_indices(c, in_length, rounding):
    """ONNX nearest_mode on x_original, then clamped to [0, L - 1]. rounding: 'round_prefer_floor',
    'round_prefer_ceil', 'floor' or 'ceil'."""
    base = np.floor(c)
    frac = c - base  # exact in float32
    if rounding == 'round_prefer_floor':
        up = frac > _F32(0.5)
    elif rounding == 'round_prefer_ceil':
        up = frac >= _F32(0.5)
    elif rounding == 'floor':
        up = np.zeros(c.shape, bool)
    elif rounding == 'ceil':
        up = frac > 0
    else:
        raise Int8SpecError(f'unknown nearest rounding {rounding!r}')
    return clamp(base.astype(np.int64) + up, 0, in_length - 1)


def linear_weights(c, in_length):
    """Section 5.9 per axis: (i0, i1, low weight, high weight) in 1/1024 units."""
    c = clamp(c, _F32(0), _F32(in_length - 1)).astype(_F32)
    c10 = np.floor(c * _F32(_WEIGHT_ONE) + _F32(0.5)).astype(np.int64)
    i0 = c10 >> _WEIGHT_BITS
    i1 = np.minimum(i0 + 1, in_length - 1)
    f = c10 - i0 * _WEIGHT_ONE
    return i0, i1, _WEIGHT_ONE - f, f


def _check(x, out_shape, scales):
    if len(out_shape) != x.ndim or len(scales) != x.ndim:
        raise Int8SpecError(f'Resize needs one output length and one scale per axis: input '
                            f'{list(x.shape)}, output {list(out_shape)}, scales {list(scales)}')
    if min(out_shape, default=1) < 0 or (x.size == 0 and np.prod(out_shape) > 0):
        raise Int8SpecError(f'Resize cannot fill {list(out_shape)} from {list(x.shape)}')


def resize(x, zero_point, out_shape, scales, mode, transform, rounding):
    """x int8 of any rank (linear: rank <= 4) -> int8 of out_shape. mode: 'nearest' or 'linear'."""
    _check(x, out_shape, scales)
    coords = [source_coordinates(out_shape[a], x.shape[a], scales[a], transform)
              for a in range(x.ndim)]
    if mode == 'nearest':
        index = [nearest_indices(coords[a], x.shape[a], rounding) for a in range(x.ndim)]
        return x[np.ix_(*index)]
    if mode != 'linear':
        raise Int8SpecError(f'unknown Resize mode {mode!r}')
    if x.ndim > 4:
        raise Int8SpecError(f'linear Resize is defined for rank <= 4, got rank {x.ndim}')
    # The sum over 2^rank corners of (product of axis weights) * (q - zp), taken one axis at a
    # time: the same integer polynomial, so the same exact int64 value.
    acc = x.astype(np.int64) - zero_point
    for a in range(x.ndim):
        i0, i1, w0, w1 = linear_weights(coords[a], x.shape[a])
        shape = [1] * x.ndim
        shape[a] = -1
        acc = (np.take(acc, i0, axis=a) * w0.reshape(shape) +
               np.take(acc, i1, axis=a) * w1.reshape(shape))
    n = _WEIGHT_BITS * x.ndim
    half = np.int64(1) << (n - 1) if n else np.int64(0)
    r = np.where(acc >= 0, (acc + half) >> n, -((-acc + half) >> n))
    return clamp(zero_point + r, -128, 127).astype(np.int8)
