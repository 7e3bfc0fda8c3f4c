"""Reshape, Transpose, Slice and Pad in int8 (docs/int8_spec.md section 5.12): bytes move unchanged
and input and output share (s, zp); int8 Pad fills with zp."""
import numpy as np

from int8_reference import Int8SpecError


def reshape(x, out_shape):
    if int(np.prod(out_shape)) != x.size:
        raise Int8SpecError(f'Reshape cannot turn {list(x.shape)} into {list(out_shape)}')
    return x.reshape(out_shape)


def transpose(x, perm):
    perm = list(perm) if len(perm) else list(range(x.ndim))[::-1]  # ONNX default: reverse
    if sorted(perm) != list(range(x.ndim)):
        raise Int8SpecError(f'Transpose perm {perm} is not a permutation of {x.ndim} axes')
    return np.transpose(x, perm)


def slice_(x, starts, steps, out_shape):
    """Element k along axis a is input index starts[a] + k * steps[a] (the compiler has clamped
    starts; the output length comes from the model)."""
    if not len(starts) == len(steps) == len(out_shape) == x.ndim:
        raise Int8SpecError(f'Slice needs a start and step per axis of {list(x.shape)}: starts '
                            f'{list(starts)}, steps {list(steps)}, output {list(out_shape)}')
    index = []
    for a in range(x.ndim):
        if steps[a] == 0:
            raise Int8SpecError(f'Slice step along axis {a} is 0')
        positions = starts[a] + np.arange(out_shape[a]) * steps[a]
        if positions.size and (positions.min() < 0 or positions.max() >= x.shape[a]):
            raise Int8SpecError(f'Slice along axis {a} reads outside [0, {x.shape[a]}): start '
                                f'{starts[a]}, step {steps[a]}, length {out_shape[a]}')
        index.append(positions)
    return x[np.ix_(*index)]


def pad(x, zero_point, pads, mode, value):
    """pads: 2 x rank, all begins then all ends. mode: 'constant', 'reflect' or 'edge' (NumPy's
    modes of the same names are ONNX's). Section 5.12: only constant mode crops (a negative pad);
    reflect pads are smaller than the axis they extend."""
    rank = x.ndim
    if len(pads) != 2 * rank:
        raise Int8SpecError(f'Pad needs {2 * rank} pads for rank {rank}, got {list(pads)}')
    if mode == 'constant':
        return _pad_constant(x, zero_point, pads, value)
    if mode not in ('reflect', 'edge'):
        raise Int8SpecError(f'unknown Pad mode {mode!r}')
    if min(pads, default=0) < 0:
        raise Int8SpecError(f'{mode} Pad with a negative pad is invalid (section 5.12): '
                            f'{list(pads)}')
    widths = list(zip(pads[:rank], pads[rank:]))
    for a, (begin, end) in enumerate(widths):
        if mode == 'reflect' and max(begin, end) >= x.shape[a]:
            raise Int8SpecError(f'reflect pads must be smaller than the axis (section 5.12): '
                                f'{begin}, {end} on axis {a} of length {x.shape[a]}')
        if mode == 'edge' and (begin or end) and x.shape[a] == 0:
            raise Int8SpecError(f'edge Pad of the empty axis {a}: there is no edge to repeat')
    return np.pad(x, widths, mode=mode)


def _pad_constant(x, zero_point, pads, value):
    """Negative pads crop first; the positive ones then add zp around what is left."""
    if value != 0:
        raise Int8SpecError(f'int8 Pad is defined for a constant value of 0 only, got {value}')
    rank = x.ndim
    begins, ends = pads[:rank], pads[rank:]
    if any(max(0, -b) + max(0, -e) > x.shape[a] for a, (b, e) in enumerate(zip(begins, ends))):
        raise Int8SpecError(f'Pad crops more than {list(x.shape)} holds: pads {list(pads)}')
    x = x[tuple(slice(max(0, -b), x.shape[a] - max(0, -e))
                for a, (b, e) in enumerate(zip(begins, ends)))]
    widths = [(max(0, b), max(0, e)) for b, e in zip(begins, ends)]
    return np.pad(x, widths, mode='constant', constant_values=zero_point)
