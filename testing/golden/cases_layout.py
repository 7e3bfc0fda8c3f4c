"""Data-movement goldens: Concat, Transpose, Pad and Slice, in NumPy. Inputs are integers that fit
int8, so the tests also run every case as int8 and int32 (these kernels move bytes of any width)."""

import numpy as np

from golden_emit import Enum
from golden_inputs import integers


def concat_cases():
    cases = []
    for name, shapes, axis in [
        ("channels_of_three", [[1, 1, 2, 2], [1, 2, 2, 2], [1, 3, 2, 2]], 1),
        ("batch_axis", [[1, 2, 3], [2, 2, 3]], 0),
        ("last_axis", [[2, 3], [2, 1], [2, 2]], 1),
        ("height_axis", [[1, 2, 1, 3], [1, 2, 2, 3]], 2),
        ("single_input", [[2, 3]], 0),
    ]:
        inputs = [integers(name + str(i), s) for i, s in enumerate(shapes)]
        cases.append({"reference": "NumPy np.concatenate", "name": name, "inputs": inputs, "axis": axis,
                      "y": np.concatenate(inputs, axis=axis)})
    return cases


def transpose_cases():
    cases = []
    for name, shape, perm in [
        ("matrix", [2, 3], [1, 0]),
        ("rank3_swap_last", [2, 3, 4], [0, 2, 1]),
        ("rank3_rotate", [2, 3, 4], [2, 0, 1]),
        ("nchw_to_nhwc", [1, 2, 3, 4], [0, 2, 3, 1]),
        ("rank4_scramble", [2, 3, 1, 4], [3, 1, 0, 2]),
        ("rank6_reverse", [2, 1, 3, 2, 1, 2], [5, 4, 3, 2, 1, 0]),
    ]:
        x = integers(name, shape)
        cases.append({"reference": "NumPy np.transpose", "name": name, "x": x, "perm": perm,
                      "y": np.transpose(x, perm)})
    return cases


def _pad_reference(x, pads, mode, value):
    """ONNX Pad as pad-then-crop: positive pads with np.pad, then negative pads remove elements."""
    rank = x.ndim
    widths = [(max(pads[d], 0), max(pads[rank + d], 0)) for d in range(rank)]
    if mode == "constant":
        y = np.pad(x, widths, mode="constant", constant_values=value)
    else:
        y = np.pad(x, widths, mode=mode)
    crop = tuple(slice(-min(pads[d], 0), y.shape[d] + min(pads[rank + d], 0)) for d in range(rank))
    return y[crop]


def pad_cases():
    """Negative pads crop in constant mode only: the runtime rejects them with reflect and edge."""
    cases = []
    for name, shape, pads, mode, value in [
        ("constant_zero_spatial", [1, 1, 3, 3], [0, 0, 1, 2, 0, 0, 0, 1], "constant", 0.0),
        ("constant_value_every_axis", [2, 3], [1, 0, 2, 1], "constant", 3.0),
        ("reflect_spatial", [1, 1, 3, 4], [0, 0, 2, 2, 0, 0, 2, 1], "reflect", 0.0),
        ("reflect_widest", [1, 4], [0, 3, 0, 3], "reflect", 0.0),
        ("edge_wider_than_input", [1, 2, 2], [0, 0, 3, 0, 0, 4], "edge", 0.0),
        ("constant_negative_crops", [3, 4], [-1, 2, 1, -2], "constant", -2.0),
        ("constant_crop_only", [1, 2, 4, 4], [0, 0, -1, -2, 0, 0, -1, 0], "constant", 0.0),
        ("ecg_1d_reflect", [1, 1, 6], [0, 0, 2, 0, 0, 2], "reflect", 0.0),
    ]:
        x = integers(name, shape)
        cases.append({"reference": "NumPy np.pad of the positive pads, then crop by the negative ones",
                      "name": name, "x": x, "pads": pads, "mode": Enum("schema::PadMode::" + mode.title()),
                      "value": float(value), "y": _pad_reference(x, pads, mode, value)})
    return cases


def slice_cases():
    cases = []
    for name, shape, slices in [
        ("window", [4, 5], [(1, 3, 1), (2, 4, 1)]),
        ("steps_2_and_3", [1, 2, 7, 7], [(0, 1, 1), (0, 2, 1), (1, 7, 2), (0, 7, 3)]),
        ("reverse_last_axis", [2, 5], [(0, 2, 1), (4, -6, -1)]),
        ("negative_step_2_from_end", [9], [(8, -10, -2)]),
        ("mixed_steps", [3, 4, 6], [(2, -4, -1), (1, 4, 2), (5, 0, -2)]),
        ("empty_axis", [3, 4], [(0, 3, 1), (2, 2, 1)]),
    ]:
        x = integers(name, shape)
        index = tuple(slice(*s) for s in slices)
        starts, steps = [], []
        for axis, (start, stop, step) in enumerate(slices):
            resolved = slice(start, stop, step).indices(shape[axis])
            starts.append(resolved[0] if len(range(*resolved)) else 0)
            steps.append(step)
        cases.append({"reference": "NumPy basic slicing x[start:stop:step] per axis", "name": name, "x": x,
                      "starts": starts, "steps": steps, "y": x[index]})
    return cases
