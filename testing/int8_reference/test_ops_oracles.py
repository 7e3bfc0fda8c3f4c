"""The vectorised ops against other ways of computing them, on random cases:

- plain loops written from the sentences of docs/int8_spec.md section 5 (one output element at a
  time, Python integers), which check the im2col / scatter / separable shortcuts;
- PyTorch's float64 kernels for the window geometry (strides, pads, dilations, groups, ceil mode,
  count_include_pad, output_padding), which check that the geometry is ONNX's, not ours;
- ONNX's own float64 reference Resize, for the resized length that scales imply.
"""
import itertools
import struct
import unittest

import numpy as np
import torch
import torch.nn.functional as F
from onnx.backend.test.case.node import resize as onnx_resize

import conv_ops
import pool_ops
import resize_op
from int8_reference import (FusedActivation, QuantParams, effective_multiplier, mbqm,
                            quantize_multipliers, round_half_away)

NONE = FusedActivation()
UNIT = QuantParams(np.float32(1))


def f64(array):
    return torch.tensor(array, dtype=torch.float64)


def taps(kernel):
    return itertools.product(*(range(k) for k in kernel))


def requantize_loop(acc, q_x, scales, q_y, channel_axis=1):
    """Clamp(MBQM(acc, M[m], shift[m]) + zp_y) one element at a time."""
    mult, shift = quantize_multipliers(effective_multiplier(q_x.scale, scales, q_y.scale))
    y = np.zeros(acc.shape, np.int8)
    for index in np.ndindex(*acc.shape):
        m = index[channel_axis] if mult.size > 1 else 0
        y[index] = min(max(int(mbqm(acc[index], mult[m], shift[m])) + q_y.zero_point, -128), 127)
    return y


def conv_loop(x, zp_x, w, bias, strides, pads, dilations, group):
    """Section 5.1 literally: acc = bias[m] + sum over taps inside the input of (x - zp_x) * w."""
    n, _, *spatial = x.shape
    m, cg, *kernel = w.shape
    rank = len(spatial)
    out = [(spatial[a] + pads[a] + pads[rank + a] - dilations[a] * (kernel[a] - 1) - 1)
           // strides[a] + 1 for a in range(rank)]
    acc = np.zeros([n, m] + out, dtype=object)
    for b, oc, o in itertools.product(range(n), range(m), taps(out)):
        g = oc // (m // group)
        total = int(bias[oc])
        for ic, k in itertools.product(range(cg), taps(kernel)):
            pos = [o[a] * strides[a] - pads[a] + k[a] * dilations[a] for a in range(rank)]
            if all(0 <= pos[a] < spatial[a] for a in range(rank)):
                total += (int(x[(b, g * cg + ic, *pos)]) - zp_x) * int(w[(oc, ic, *k)])
        acc[(b, oc, *o)] = total
    return acc


def conv_transpose_loop(x, zp_x, w, bias, strides, pads, dilations, group, out):
    """Section 5.2 literally: output (m, o) takes every (c_in, k) with
    o + pad_begin - k * dilation = i * stride, 0 <= i < L."""
    n, c, *spatial = x.shape
    _, mg, *kernel = w.shape
    rank, cg = len(spatial), c // group
    acc = np.zeros([n, mg * group] + out, dtype=object)
    for b, oc, o in itertools.product(range(n), range(mg * group), taps(out)):
        g, m_in_group = divmod(oc, mg)
        total = int(bias[oc])
        for ic, k in itertools.product(range(cg), taps(kernel)):
            num = [o[a] + pads[a] - k[a] * dilations[a] for a in range(rank)]
            i = [v // s for v, s in zip(num, strides)]
            if all(num[a] % strides[a] == 0 and 0 <= i[a] < spatial[a] for a in range(rank)):
                c_in = g * cg + ic
                total += (int(x[(b, c_in, *i)]) - zp_x) * int(w[(c_in, m_in_group, *k)])
        acc[(b, oc, *o)] = total
    return acc


def resize_linear_loop(x, zp, out_shape, scales, transform):
    """Section 5.9 literally: sum over the 2^rank corners of (weight product) * (q - zp)."""
    per_axis = []
    for a in range(x.ndim):
        c = resize_op.source_coordinates(out_shape[a], x.shape[a], scales[a], transform)
        per_axis.append(resize_op.linear_weights(c, x.shape[a]))
    n = 10 * x.ndim
    y = np.zeros(out_shape, np.int8)
    for o in np.ndindex(*out_shape):
        acc = 0
        for corner in itertools.product((0, 1), repeat=x.ndim):
            weight, index = 1, []
            for a, high in enumerate(corner):
                i0, i1, w0, w1 = (int(v[o[a]]) for v in per_axis[a])
                weight *= w1 if high else w0
                index.append(i1 if high else i0)
            acc += weight * (int(x[tuple(index)]) - zp)
        r = (acc + 2**(n - 1)) >> n if acc >= 0 else -((-acc + 2**(n - 1)) >> n)
        y[o] = min(max(zp + r, -128), 127)
    return y


class ConvAgainstLoopsTest(unittest.TestCase):
    def test_random_convs(self):
        rng = np.random.default_rng(11)
        for trial in range(40):
            rank, group = 1 + trial % 2, int(rng.choice([1, 2]))
            c, m = group * int(rng.integers(1, 3)), group * int(rng.integers(1, 3))
            kernel, dilations = list(rng.integers(1, 4, rank)), list(rng.integers(1, 3, rank))
            strides, pads = list(rng.integers(1, 3, rank)), list(rng.integers(0, 3, 2 * rank))
            spatial = [int(d * (k - 1) + rng.integers(1, 5)) for d, k in zip(dilations, kernel)]
            x = rng.integers(-128, 128, [2, c] + spatial).astype(np.int8)
            w = rng.integers(-127, 128, [m, c // group] + kernel).astype(np.int8)
            bias = rng.integers(-5000, 5000, m).astype(np.int32)
            q_x = QuantParams(np.float32(0.05), int(rng.integers(-128, 128)))
            q_w = QuantParams(rng.uniform(0.001, 0.02, m).astype(np.float32), 0, 0)
            q_y = QuantParams(np.float32(0.7), -3)
            y = conv_ops.conv(x, q_x, w, q_w, bias, q_y, strides, pads, dilations, group, NONE)
            acc = conv_loop(x, q_x.zero_point, w, bias, strides, pads, dilations, group)
            np.testing.assert_array_equal(y, requantize_loop(acc, q_x, q_w.scale, q_y),
                                          f'trial {trial}')

    def test_random_conv_transposes(self):
        rng = np.random.default_rng(12)
        for trial in range(40):
            rank, group = 1 + trial % 2, int(rng.choice([1, 2]))
            c, mg = group * int(rng.integers(1, 3)), int(rng.integers(1, 3))
            kernel, dilations = list(rng.integers(1, 4, rank)), list(rng.integers(1, 3, rank))
            strides, pads = list(rng.integers(1, 4, rank)), list(rng.integers(-1, 3, 2 * rank))
            out_pad = [int(rng.integers(0, s)) for s in strides]
            spatial = list(rng.integers(1, 4, rank))
            out = [strides[a] * (spatial[a] - 1) + out_pad[a] + (kernel[a] - 1) * dilations[a]
                   + 1 - pads[a] - pads[rank + a] for a in range(rank)]
            if min(out) < 1:
                continue
            x = rng.integers(-128, 128, [1, c] + spatial).astype(np.int8)
            w = rng.integers(-127, 128, [c, mg] + kernel).astype(np.int8)
            bias = rng.integers(-5000, 5000, mg * group).astype(np.int32)
            q_x, q_w = QuantParams(np.float32(0.05), 9), QuantParams(np.float32(0.01))
            q_y = QuantParams(np.float32(0.3), 4)
            y = conv_ops.conv_transpose(x, q_x, w, q_w, bias, q_y, strides, pads, dilations,
                                        out_pad, group, NONE, out)
            acc = conv_transpose_loop(x, 9, w, bias, strides, pads, dilations, group, out)
            np.testing.assert_array_equal(y, requantize_loop(acc, q_x, q_w.scale, q_y),
                                          f'trial {trial}')


class GeometryAgainstTorchTest(unittest.TestCase):
    """Multipliers of exactly 1 (s_x * s_w / s_y = 1) and small values keep outputs unsaturated
    integers, so the int8 result must equal PyTorch's float64 result exactly."""

    def test_conv2d(self):
        rng = np.random.default_rng(21)
        for trial in range(20):
            group = int(rng.choice([1, 3]))
            x = rng.integers(-2, 3, (1, 3, 7, 6)).astype(np.int8)
            w = rng.integers(-1, 2, (3, 3 // group, 3, 2)).astype(np.int8)
            strides, dilations = list(rng.integers(1, 3, 2)), list(rng.integers(1, 3, 2))
            pads = list(rng.integers(0, 2, 2))
            y = conv_ops.conv(x, UNIT, w, UNIT, None, UNIT, strides, pads * 2, dilations, group,
                              NONE)
            expected = F.conv2d(f64(x), f64(w), stride=strides, padding=pads,
                                dilation=dilations, groups=group)
            np.testing.assert_array_equal(y, expected.numpy(), f'trial {trial}')

    def test_conv_transpose2d(self):
        rng = np.random.default_rng(22)
        for trial in range(20):
            group = int(rng.choice([1, 2]))
            strides, dilations = list(rng.integers(1, 4, 2)), list(rng.integers(1, 3, 2))
            pads = list(rng.integers(0, 2, 2))
            out_pad = [int(rng.integers(0, max(s, d))) for s, d in zip(strides, dilations)]
            x = rng.integers(-2, 3, (1, 2, 4, 3)).astype(np.int8)
            w = rng.integers(-1, 2, (2, 2, 3, 2)).astype(np.int8)
            expected = F.conv_transpose2d(f64(x), f64(w), stride=strides, padding=pads,
                                          output_padding=out_pad, groups=group,
                                          dilation=dilations)
            y = conv_ops.conv_transpose(x, UNIT, w, UNIT, None, UNIT, strides, pads * 2,
                                        dilations, out_pad, group, NONE, list(expected.shape[2:]))
            np.testing.assert_array_equal(y, expected.numpy(), f'trial {trial}')

    def test_max_pool(self):
        rng = np.random.default_rng(23)
        for trial in range(30):
            kernel = list(rng.integers(1, 4, 2))
            strides, dilations = list(rng.integers(1, 3, 2)), list(rng.integers(1, 3, 2))
            pads = [int(rng.integers(0, k // 2 + 1)) for k in kernel]
            x = rng.integers(-128, 128, (1, 2, 7, 8)).astype(np.int8)
            expected = F.max_pool2d(f64(x), kernel, strides, pads, dilations,
                                    ceil_mode=bool(trial % 2))
            y = pool_ops.max_pool(x, kernel, strides, pads * 2, dilations,
                                  list(expected.shape[2:]))
            np.testing.assert_array_equal(y, expected.numpy(), f'trial {trial}')

    def test_average_pool(self):
        """PyTorch's average rounded half away from zero is the spec's rounded integer division,
        and PyTorch counts padding the way QUESTIONS.md reads count_include_pad."""
        rng = np.random.default_rng(24)
        for trial in range(40):
            kernel, strides = list(rng.integers(1, 4, 2)), list(rng.integers(1, 4, 2))
            pads = [int(rng.integers(0, k // 2 + 1)) for k in kernel]
            include = bool(trial % 2)
            x = rng.integers(-128, 128, (1, 2, 7, 8)).astype(np.int8)
            expected = F.avg_pool2d(f64(x), kernel, strides, pads, ceil_mode=bool(trial % 4 >= 2),
                                    count_include_pad=include)
            y = pool_ops.average_pool(x, 0, kernel, strides, pads * 2, [], include,
                                      list(expected.shape[2:]))
            np.testing.assert_array_equal(y, round_half_away(expected.numpy()), f'trial {trial}')

    def test_resize(self):
        """Nearest: exactly PyTorch's (asymmetric, floor). Bilinear: within 1 of PyTorch's float
        (10-bit weights); align_corners and half_pixel are PyTorch's two coordinate modes."""
        rng = np.random.default_rng(25)
        x = rng.integers(-128, 128, (1, 2, 5, 4)).astype(np.int8)
        for f in (2, 3):
            out, scales = [1, 2, 5 * f, 4 * f], [1, 1, f, f]
            y = resize_op.resize(x, 0, out, scales, 'nearest', 'asymmetric', 'floor')
            expected = F.interpolate(f64(x), scale_factor=f, mode='nearest').numpy()
            np.testing.assert_array_equal(y, expected)
            for transform, corners in (('half_pixel', False), ('align_corners', True)):
                y = resize_op.resize(x, 0, out, scales, 'linear', transform, 'floor')
                expected = F.interpolate(f64(x), scale_factor=f, mode='bilinear',
                                         align_corners=corners).numpy()
                self.assertLessEqual(np.abs(y - expected).max(), 1.0, transform)


TRANSFORMS = ['half_pixel', 'asymmetric', 'align_corners', 'pytorch_half_pixel']


def random_scale_and_length(rng, in_length):
    """A float32 scale and its output length, as a model gives them: sizes (scale = out / in) or
    scales (out = floor(in * scale), so R = scale * in is usually not the output length)."""
    if rng.random() < 0.5:
        out = int(rng.integers(1, 6))
        return np.float32(out / in_length), out
    scale = np.float32(rng.choice([rng.uniform(0.3, 3.7), rng.integers(3, 15) / 4]))
    return scale, max(1, int(np.float64(scale) * in_length))


def f32(value):
    """A Python float rounded to float32 (a double result of one float32 operation on float32
    operands rounds exactly as the float32 operation would)."""
    return struct.unpack('<f', struct.pack('<f', value))[0]


def coordinate_loop(o, in_length, scale, transform):
    """Section 5.9's expressions one scalar at a time, each operation rounded to float32."""
    resized = f32(scale * f32(in_length))
    if transform == 'half_pixel':
        return f32(f32(f32(o + 0.5) / scale) - 0.5)
    if transform == 'asymmetric':
        return f32(o / scale)
    if transform == 'pytorch_half_pixel':
        return f32(f32(f32(o + 0.5) / scale) - 0.5) if resized > 1 else 0.0
    return f32(f32(o * f32(in_length - 1)) / f32(resized - 1)) if resized > 1 else 0.0


class ResizeAgainstLoopsTest(unittest.TestCase):
    def test_source_coordinates_one_scalar_at_a_time(self):
        rng = np.random.default_rng(32)
        for trial in range(400):
            in_length = int(rng.integers(1, 9))
            scale, out = random_scale_and_length(rng, in_length)
            transform = TRANSFORMS[trial % 4]
            expected = [coordinate_loop(o, in_length, float(scale), transform) for o in range(out)]
            got = resize_op.source_coordinates(out, in_length, scale, transform)
            self.assertEqual(got.dtype, np.float32)
            np.testing.assert_array_equal(got, expected, f'{transform} {in_length} x {scale}')

    def test_random_linear_resizes(self):
        rng = np.random.default_rng(31)
        for trial in range(30):
            rank = int(rng.integers(1, 5))
            shape = list(rng.integers(1, 4, rank))
            scales, out = zip(*(random_scale_and_length(rng, length) for length in shape))
            transform = TRANSFORMS[trial % 4]
            x = rng.integers(-128, 128, shape).astype(np.int8)
            zp = int(rng.integers(-128, 128))
            y = resize_op.resize(x, zp, list(out), scales, 'linear', transform, 'floor')
            np.testing.assert_array_equal(y, resize_linear_loop(x, zp, out, scales, transform),
                                          f'trial {trial}')


class ResizeAgainstOnnxTest(unittest.TestCase):
    """ONNX's own reference Resize (the float64 interpolate_nd that generates its node tests,
    shipped in python3-onnx) measures the resized length as scale * L_in, as section 5.9 does. On
    scales whose R is not the output length, the int8 result must stay within 1 of it (the 10-bit
    weights); measuring with the output length instead misses by tens."""

    def test_linear_with_scales(self):
        rng = np.random.default_rng(33)
        for trial in range(60):
            shape = [int(v) for v in rng.integers(2, 6, 2)]
            scales = [np.float32(rng.choice([rng.uniform(0.5, 3.0), rng.integers(3, 15) / 4]))
                      for _ in shape]
            transform = TRANSFORMS[trial % 4]
            x = rng.integers(-128, 128, shape).astype(np.int8)
            expected = onnx_resize.interpolate_nd(
                x.astype(np.float64), onnx_resize.linear_coeffs,
                scale_factors=np.array(scales, np.float64),
                coordinate_transformation_mode=transform)
            y = resize_op.resize(x, 0, list(expected.shape), scales, 'linear', transform, 'floor')
            self.assertLessEqual(np.abs(y - expected).max(), 1.0,
                                 f'{transform}, {shape} x {scales}')


if __name__ == '__main__':
    unittest.main()
