"""MaxPool, AveragePool and GlobalAveragePool in int8 (docs/int8_spec.md section 5.8). Input and
output share (s, zp), so the pools work on the stored q values directly."""
import numpy as np

from int8_reference import Int8SpecError, check_int32, clamp, trunc_div
from window_geometry import Window, gather_taps

# Marks padding in MaxPool's gathered windows; below every int8 value.
_OUTSIDE = np.iinfo(np.int16).min


def _window(kernel, strides, pads, dilations, x, out_spatial, what):
    window = Window.from_params(kernel, strides, pads, dilations)
    if len(out_spatial) != x.ndim - 2 or len(window.kernel) != x.ndim - 2:
        raise Int8SpecError(f'{what} kernel {list(kernel)} does not fit input {list(x.shape)}')
    for a, length in enumerate(x.shape[2:]):
        if window.fits(a, length):
            lo, hi = window.floor_output(a, length), window.ceil_output(a, length)
        else:
            lo = hi = 0  # section 5.8: a window larger than the padded input gives nothing
        if not lo <= out_spatial[a] <= hi:
            raise Int8SpecError(f'{what} output length {out_spatial[a]} along spatial axis {a} is '
                                f'neither ONNX\'s floor ({lo}) nor ceil ({hi}) size')
    return window


def _empty(x, out_spatial):
    """The valid empty output of section 5.8, or None when there is something to compute."""
    shape = list(x.shape[:2]) + list(out_spatial)
    return np.zeros(shape, np.int8) if 0 in shape else None


def _rounded_average(total, count):
    """sum >= 0 ? (sum + count/2) / count : (sum - count/2) / count, truncating, then Clamp."""
    half = count // 2
    y = trunc_div(np.where(total >= 0, total + half, total - half), count)
    return clamp(y, -128, 127).astype(np.int8)


def max_pool(x, kernel, strides, pads, dilations, out_spatial):
    """Maximum q over each window's positions inside the input; padding takes no part."""
    window = _window(kernel, strides, pads, dilations, x, out_spatial, 'MaxPool')
    empty = _empty(x, out_spatial)
    if empty is not None:
        return empty
    taps = gather_taps(x.astype(np.int16), window, out_spatial, _OUTSIDE)
    y = taps.max(axis=2)
    if (y == _OUTSIDE).any():
        raise Int8SpecError('MaxPool window lies wholly in padding: section 5.8 leaves its value '
                            'undefined')
    return y.astype(np.int8)


def _window_counts(window, in_spatial, out_spatial):
    """Per output position: taps inside the input, and taps inside the padded extent
    [-pad_begin, L + pad_end) (the positions count_include_pad counts; see QUESTIONS.md)."""
    inside, padded = np.ones(out_spatial, np.int64), np.ones(out_spatial, np.int64)
    for a, length in enumerate(in_spatial):
        p = window.positions(a, out_spatial[a])
        shape = [1] * len(out_spatial)
        shape[a] = -1
        inside = inside * ((p >= 0) & (p < length)).sum(axis=1).reshape(shape)
        in_extent = (p >= -window.pads_begin[a]) & (p < length + window.pads_end[a])
        padded = padded * in_extent.sum(axis=1).reshape(shape)
    return inside, padded


def average_pool(x, zero_point, kernel, strides, pads, dilations, count_include_pad, out_spatial):
    """sum of q inside the input, plus zp per counted padded position; rounded division by count."""
    window = _window(kernel, strides, pads, dilations, x, out_spatial, 'AveragePool')
    empty = _empty(x, out_spatial)
    if empty is not None:
        return empty
    total = gather_taps(x.astype(np.int64), window, out_spatial, 0).sum(axis=2)
    inside, padded = _window_counts(window, x.shape[2:], out_spatial)
    count = padded if count_include_pad else inside
    if count_include_pad:
        total = total + zero_point * (padded - inside)
    if (count == 0).any():
        raise Int8SpecError('AveragePool window counts no position: section 5.8 divides by zero')
    total = check_int32(total, 'AveragePool sum')
    return _rounded_average(total, count)


def global_average_pool(x):
    """All spatial positions of each (n, c): the rounded average of their q."""
    if x.ndim < 3:
        raise Int8SpecError(f'GlobalAveragePool needs [N, C, spatial...], got {list(x.shape)}')
    spatial_axes = tuple(range(2, x.ndim))
    total = check_int32(x.astype(np.int64).sum(axis=spatial_axes, keepdims=True),
                        'GlobalAveragePool sum')
    return _rounded_average(total, int(np.prod(x.shape[2:])))
