"""MaxPool, AveragePool and GlobalAveragePool goldens.

PyTorch computes every case it can express (symmetric pads, ceil mode, count_include_pad, MaxPool
dilation). Asymmetric pads and dilated AveragePool, which torch lacks, come from a float64 NumPy
loop written from the ONNX operator text; the generator first checks that loop against torch on
every case both can compute.
"""

import itertools
import math

import numpy as np
import torch
import torch.nn.functional as F

from golden_inputs import quarters


def _output_length(length, k, s, d, pb, pe, ceil_mode):
    span = length + pb + pe - d * (k - 1) - 1
    if ceil_mode:
        out = math.ceil(span / s) + 1
        if (out - 1) * s >= length + pb:  # the last window must start inside input or begin pad
            out -= 1
        return out
    return span // s + 1


def pool_numpy(x, kind, kernel, strides, pads, dilations, ceil_mode, count_include_pad):
    n = len(kernel)
    spatial = x.shape[2:]
    out_shape = [_output_length(spatial[i], kernel[i], strides[i], dilations[i], pads[i], pads[n + i],
                                ceil_mode) for i in range(n)]
    y = np.zeros(list(x.shape[:2]) + out_shape)
    for index in itertools.product(*[range(o) for o in out_shape]):
        values, padded_count = [], 0
        for taps in itertools.product(*[range(k) for k in kernel]):
            pos = [index[i] * strides[i] - pads[i] + taps[i] * dilations[i] for i in range(n)]
            inside = all(0 <= pos[i] < spatial[i] for i in range(n))
            in_padded = all(-pads[i] <= pos[i] < spatial[i] + pads[n + i] for i in range(n))
            if inside:
                values.append(x[(slice(None), slice(None)) + tuple(pos)])
            padded_count += in_padded
        at = (slice(None), slice(None)) + index
        if kind == "max":
            y[at] = np.max(values, axis=0)
        else:
            divisor = padded_count if count_include_pad else len(values)
            y[at] = np.sum(values, axis=0) / divisor
    return y


def pool_torch(x, kind, kernel, strides, pads, dilations, ceil_mode, count_include_pad):
    n = len(kernel)
    assert pads[:n] == pads[n:], "torch pads symmetrically"
    xt = torch.from_numpy(x)
    if kind == "max":
        pool = F.max_pool1d if n == 1 else F.max_pool2d
        return pool(xt, kernel, strides, pads[:n], dilations, ceil_mode=ceil_mode).numpy()
    assert dilations == [1] * n, "torch's AveragePool has no dilation"
    pool = F.avg_pool1d if n == 1 else F.avg_pool2d
    return pool(xt, kernel, strides, pads[:n], ceil_mode=ceil_mode,
                count_include_pad=count_include_pad).numpy()


def pool_case(name, kind, x_shape, kernel, strides, pads, dilations=None, ceil_mode=False,
              count_include_pad=False, low=-8, high=8):
    n = len(kernel)
    dilations = dilations or [1] * n
    x = quarters(name, x_shape, low=low, high=high)
    args = (x, kind, kernel, strides, pads, dilations, ceil_mode, count_include_pad)
    reference = pool_numpy(*args)
    torch_can = pads[:n] == pads[n:] and (kind == "max" or dilations == [1] * n) and \
        all(p <= k // 2 for p, k in zip(pads[:n], kernel))
    if torch_can:
        y = pool_torch(*args)
        assert y.shape == reference.shape and np.array_equal(y, reference), name
        how = "torch %s_pool%dd(ceil_mode=%s) in float64, NumPy loop agrees" % (kind, n, ceil_mode)
    else:
        y = reference
        how = "NumPy float64 loop over the ONNX %sPool definition (torch lacks this case)" % kind.title()
    return {"reference": how, "name": name, "x": x, "kernel": kernel, "strides": strides,
            "pads": pads, "dilations": dilations, "count_include_pad": count_include_pad, "y": y}


def max_pool_cases():
    return [
        pool_case("max2d_kernel2_stride2", "max", [1, 2, 4, 4], [2, 2], [2, 2], [0, 0, 0, 0]),
        pool_case("max2d_kernel3_same_pads", "max", [1, 1, 5, 5], [3, 3], [1, 1], [1, 1, 1, 1]),
        pool_case("max2d_ceil_mode", "max", [1, 1, 5, 5], [2, 2], [2, 2], [0, 0, 0, 0], ceil_mode=True),
        pool_case("max2d_ceil_mode_pads", "max", [1, 1, 6, 6], [3, 3], [2, 2], [1, 1, 1, 1], ceil_mode=True),
        pool_case("max2d_ceil_mode_last_window_dropped", "max", [1, 1, 5, 5], [2, 2], [2, 2], [1, 1, 1, 1],
                  ceil_mode=True),
        pool_case("max2d_dilation2", "max", [1, 1, 7, 7], [2, 2], [1, 1], [0, 0, 0, 0], dilations=[2, 2]),
        pool_case("max2d_asymmetric_pads", "max", [1, 1, 5, 6], [3, 2], [2, 2], [0, 1, 2, 0]),
        pool_case("max2d_negative_inputs_padding_never_wins", "max", [1, 2, 4, 4], [3, 3], [2, 2],
                  [1, 1, 1, 1], high=-1),
        pool_case("max1d_kernel3_stride2_pads", "max", [1, 2, 9], [3], [2], [1, 1]),
        pool_case("max1d_ceil_mode_dilation2", "max", [1, 1, 10], [2], [3], [0, 0], dilations=[2],
                  ceil_mode=True),
    ]


def average_pool_cases():
    return [
        pool_case("avg2d_kernel2_stride2", "avg", [1, 2, 4, 4], [2, 2], [2, 2], [0, 0, 0, 0]),
        pool_case("avg2d_pads_exclude_pad", "avg", [1, 1, 5, 5], [3, 3], [1, 1], [1, 1, 1, 1]),
        pool_case("avg2d_pads_count_include_pad", "avg", [1, 1, 5, 5], [3, 3], [1, 1], [1, 1, 1, 1],
                  count_include_pad=True),
        pool_case("avg2d_ceil_mode_count_include_pad", "avg", [1, 1, 6, 6], [3, 3], [2, 2], [1, 1, 1, 1],
                  ceil_mode=True, count_include_pad=True),
        pool_case("avg1d_ceil_mode_overhang_not_counted", "avg", [1, 1, 6], [3], [2], [1, 1],
                  ceil_mode=True, count_include_pad=True),
        pool_case("avg2d_ceil_mode_exclude_pad", "avg", [1, 1, 6, 5], [3, 2], [2, 2], [1, 1, 1, 1],
                  ceil_mode=True),
        pool_case("avg2d_asymmetric_pads_exclude_pad", "avg", [1, 1, 5, 6], [3, 2], [2, 2], [0, 1, 2, 0]),
        pool_case("avg2d_asymmetric_pads_count_include_pad", "avg", [1, 1, 5, 6], [3, 2], [2, 2],
                  [0, 1, 2, 0], count_include_pad=True),
        pool_case("avg2d_dilation2", "avg", [1, 1, 7, 6], [2, 2], [1, 2], [1, 0, 1, 1], dilations=[2, 2],
                  count_include_pad=True),
        pool_case("avg1d_pads_exclude_pad", "avg", [1, 2, 9], [3], [2], [1, 1]),
        pool_case("avg1d_pads_count_include_pad", "avg", [2, 1, 9], [3], [2], [1, 1], count_include_pad=True),
        pool_case("avg1d_ceil_mode", "avg", [1, 1, 8], [3], [2], [0, 0], ceil_mode=True),
    ]


def global_average_pool_cases():
    cases = []
    for name, shape in [("global_avg_1d", [1, 3, 7]), ("global_avg_2d_batch2", [2, 3, 4, 5]),
                        ("global_avg_3d", [1, 2, 2, 3, 4])]:
        x = quarters(name, shape)
        axes = tuple(range(2, len(shape)))
        y = torch.from_numpy(x).mean(dim=axes, keepdim=True).numpy()
        cases.append({"reference": "torch mean over the spatial axes in float64", "name": name, "x": x,
                      "params": {}, "y": y})
    return cases
