"""Sliding-window geometry of Conv and the pools, as ONNX defines it (docs/int8_spec.md section 5).

Along one spatial axis with input length L, kernel K, stride S, dilation D and begin padding P,
output position o reads input position o * S - P + k * D for tap k = 0..K-1; positions outside
[0, L) are padding. Windows are gathered by slicing a padded copy of the input once per kernel
tap (im2col by strided views), which keeps a 64x64 U-Net layer to a few NumPy calls.
"""
import dataclasses
import itertools

import numpy as np

from int8_reference import Int8SpecError

# Largest padded copy gather_taps makes: far above any device model, and it keeps a damaged file's
# huge pads from exhausting the host's memory.
MAX_PADDED_ELEMENTS = 2**28


@dataclasses.dataclass(frozen=True)
class Window:
    """Per spatial axis: kernel, strides, dilations, and the begin and end pads."""
    kernel: tuple
    strides: tuple
    dilations: tuple
    pads_begin: tuple
    pads_end: tuple

    @staticmethod
    def from_params(kernel, strides, pads, dilations):
        """Fills ONNX's defaults (stride 1, dilation 1, pad 0) for absent arrays; checks lengths."""
        rank = len(kernel)
        strides = tuple(strides) if len(strides) else (1,) * rank
        dilations = tuple(dilations) if len(dilations) else (1,) * rank
        pads = tuple(pads) if len(pads) else (0,) * (2 * rank)
        if len(strides) != rank or len(dilations) != rank or len(pads) != 2 * rank:
            raise Int8SpecError(f'window arrays do not match {rank} spatial axes: strides '
                                f'{strides}, dilations {dilations}, pads {pads}')
        if min(strides) < 1 or min(dilations) < 1 or min(kernel) < 1:
            raise Int8SpecError(f'kernel {kernel}, strides {strides} and dilations {dilations} '
                                'must be positive')
        return Window(tuple(kernel), strides, dilations, pads[:rank], pads[rank:])

    def fits(self, axis, length):
        """Whether the dilated kernel fits the padded input along a spatial axis (ONNX's output
        length is at least 1)."""
        span = self.dilations[axis] * (self.kernel[axis] - 1) + 1
        return span <= length + self.pads_begin[axis] + self.pads_end[axis]

    def floor_output(self, axis, length):
        """ONNX's output length (floor mode) along a spatial axis."""
        span = self.dilations[axis] * (self.kernel[axis] - 1) + 1
        padded = length + self.pads_begin[axis] + self.pads_end[axis]
        return (padded - span) // self.strides[axis] + 1

    def ceil_output(self, axis, length):
        """ONNX's output length with ceil_mode = 1 (before any "last window starts inside" rule)."""
        span = self.dilations[axis] * (self.kernel[axis] - 1) + 1
        padded = length + self.pads_begin[axis] + self.pads_end[axis]
        return -(-(padded - span) // self.strides[axis]) + 1

    def positions(self, axis, out_length):
        """Input positions [o, k] read by output o at tap k along a spatial axis."""
        o = np.arange(out_length)[:, None]
        k = np.arange(self.kernel[axis])[None, :]
        return o * self.strides[axis] - self.pads_begin[axis] + k * self.dilations[axis]


def gather_taps(x, window, out_spatial, fill):
    """x [N, C, *spatial] -> [N, C, T, *out_spatial] with T = prod(kernel) taps in row-major kernel
    order; positions outside the input read `fill`."""
    spatial = x.shape[2:]
    before, after = [], []
    for axis, length in enumerate(spatial):
        first = -window.pads_begin[axis]
        last = (out_spatial[axis] - 1) * window.strides[axis] - window.pads_begin[axis] + \
            (window.kernel[axis] - 1) * window.dilations[axis]
        before.append(max(0, -first))
        after.append(max(0, last - (length - 1)))
    padded_shape = [length + b + a for length, b, a in zip(spatial, before, after)]
    if np.prod(x.shape[:2] + tuple(padded_shape), dtype=np.float64) > MAX_PADDED_ELEMENTS:
        raise Int8SpecError(f'padding {list(x.shape)} to {padded_shape} is beyond what this '
                            'reference runs')
    padded = np.pad(x, [(0, 0), (0, 0)] + list(zip(before, after)), constant_values=fill)
    taps = []
    for tap in itertools.product(*(range(k) for k in window.kernel)):
        index = [slice(None), slice(None)]
        for axis, k in enumerate(tap):
            start = before[axis] - window.pads_begin[axis] + k * window.dilations[axis]
            stop = start + (out_spatial[axis] - 1) * window.strides[axis] + 1
            index.append(slice(start, stop, window.strides[axis]))
        taps.append(padded[tuple(index)])
    return np.stack(taps, axis=2)
