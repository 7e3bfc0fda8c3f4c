"""Small per-op cases of docs/int8_spec.md section 5, each worked out by hand (the comments show
how)."""
import math
import unittest

import numpy as np

import conv_ops
import elementwise_ops
import layout_ops
import pool_ops
import resize_op
import table_ops
from int8_reference import FusedActivation, Int8SpecError, QuantParams

NONE = FusedActivation()
ONE = QuantParams(np.float32(1.0), 0)


def q(scale, zero_point=0, axis=-1):
    return QuantParams(np.asarray(scale, np.float32) if np.ndim(scale) else np.float32(scale),
                       zero_point, axis)


def i8(values):
    return np.array(values, dtype=np.int8)


class ConvTest(unittest.TestCase):
    def conv(self, x, w, bias=None, q_x=ONE, q_w=ONE, q_y=ONE, strides=(), pads=(), dilations=(),
             group=1, activation=NONE):
        b = None if bias is None else np.array(bias, np.int32)
        return conv_ops.conv(i8(x), q_x, i8(w), q_w, b, q_y, strides, pads, dilations, group,
                             activation)

    def test_padding_contributes_nothing(self):
        # x - zp = 1 everywhere, 3x3 kernel of ones, pad 1: each output counts its taps inside.
        y = self.conv(np.full((1, 1, 3, 3), 3), np.ones((1, 1, 3, 3)), q_x=q(1.0, 2),
                      pads=[1, 1, 1, 1])
        np.testing.assert_array_equal(y[0, 0], [[4, 6, 4], [6, 9, 6], [4, 6, 4]])

    def test_bias_stride_dilation(self):
        ones = np.ones((1, 1, 3, 3))
        y = self.conv(np.ones((1, 1, 3, 3)), ones, bias=[10], pads=[1, 1, 1, 1], strides=[2, 2])
        np.testing.assert_array_equal(y[0, 0], [[14, 14], [14, 14]])
        # Dilation 2, pad 2: taps at o-2, o, o+2 per axis; the centre sees one per axis.
        y = self.conv(np.ones((1, 1, 3, 3)), ones, pads=[2, 2, 2, 2], dilations=[2, 2])
        np.testing.assert_array_equal(y[0, 0], [[4, 2, 4], [2, 1, 2], [4, 2, 4]])

    def test_rescale_rounds_ties_up(self):
        # s_y = 2: m = 0.5 = (2^30, 0); 9 * 0.5 = 4.5 -> SRDHM rounds up to 5; 6 -> 3; 4 -> 2.
        y = self.conv(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), q_y=q(2.0), pads=[1] * 4)
        np.testing.assert_array_equal(y[0, 0], [[2, 3, 2], [3, 5, 3], [2, 3, 2]])

    def test_per_channel_scales(self):
        # Two output channels of ones, s_w = [1, 0.5]: channel 1 is halved (9 -> 4.5 -> 5).
        y = self.conv(np.ones((1, 1, 3, 3)), np.ones((2, 1, 3, 3)), q_w=q([1.0, 0.5], 0, 0))
        np.testing.assert_array_equal(y[0, :, 0, 0], [9, 5])

    def test_all_zero_weight_channel_gives_bias_only(self):
        w = np.stack([np.ones((1, 3, 3)), np.zeros((1, 3, 3))])
        y = self.conv(np.full((1, 1, 3, 3), 5), w, bias=[1, -7], q_w=q([1.0, 1.0], 0, 0))
        np.testing.assert_array_equal(y[0, :, 0, 0], [46, -7])

    def test_groups(self):
        # Channel 0 holds 1s, channel 1 holds 2s; group 2 with 1x1 weights [3, -1].
        x = np.concatenate([np.ones((1, 1, 2, 2)), np.full((1, 1, 2, 2), 2)], axis=1)
        y = self.conv(x, np.array([3, -1]).reshape(2, 1, 1, 1), group=2)
        np.testing.assert_array_equal(y[0, :, 0, 0], [3, -2])

    def test_conv1d(self):
        # w = [1, 0, -1], pad 1: y[i] = x[i-1] - x[i+1].
        y = self.conv([[[1, 2, 3, 4, 5]]], [[[1, 0, -1]]], pads=[1, 1])
        np.testing.assert_array_equal(y[0, 0], [-2, -2, -2, -2, 4])

    def test_fused_relu_and_saturation(self):
        y = self.conv([[[1, -1, 100]]], [[[127]]], q_y=q(1.0, 5),
                      activation=FusedActivation('relu'))
        np.testing.assert_array_equal(y[0, 0], [127, 5, 127])  # 132 -> 127; -122 -> relu floor 5

    def test_rejects_weight_minus_128(self):
        with self.assertRaises(Int8SpecError):
            self.conv([[[1]]], [[[-128]]])

    def test_rejects_accumulator_overflow(self):
        with self.assertRaises(Int8SpecError):
            self.conv([[[1]]], [[[1]]], bias=[2**31 - 1])


class ConvTransposeTest(unittest.TestCase):
    def run_1d(self, x, w, strides, pads, out_len, bias=None, output_padding=()):
        b = None if bias is None else np.array(bias, np.int32)
        return conv_ops.conv_transpose(i8([[x]]), ONE, i8([[w]]), ONE, b, ONE, strides, pads, [],
                                       output_padding, 1, NONE, [out_len])[0, 0]

    def test_strides_and_pads(self):
        np.testing.assert_array_equal(self.run_1d([1, 2, 3], [1, 1], [2], [0, 0], 6),
                                      [1, 1, 2, 2, 3, 3])
        np.testing.assert_array_equal(self.run_1d([1, 2, 3], [1, 1], [1], [0, 0], 4), [1, 3, 5, 3])
        np.testing.assert_array_equal(self.run_1d([1, 2, 3], [1, 1], [1], [1, 1], 2), [3, 5])

    def test_negative_pad_and_output_padding_add_only_bias(self):
        np.testing.assert_array_equal(self.run_1d([1, 2, 3], [1, 1], [1], [-1, 0], 5, bias=[7]),
                                      [7, 8, 10, 12, 10])
        y = self.run_1d([1, 2, 3], [1, 1], [2], [0, 0], 7, output_padding=[1])
        np.testing.assert_array_equal(y, [1, 1, 2, 2, 3, 3, 0])

    def test_rejects_output_size_onnx_would_not_give(self):
        with self.assertRaises(Int8SpecError):
            self.run_1d([1, 2, 3], [1, 1], [2], [0, 0], 8)


class GemmMatMulTest(unittest.TestCase):
    B = [[1, 2, 3], [4, 5, 6]]

    def test_gemm(self):
        c = np.array([10, 20, 30], np.int32)
        y = conv_ops.gemm(i8([[1, 2]]), ONE, i8(self.B), ONE, c, ONE, False, False, NONE)
        np.testing.assert_array_equal(y, [[19, 32, 45]])  # [1+8, 2+10, 3+12] + C
        y = conv_ops.gemm(i8([[1], [2]]), ONE, i8(np.transpose(self.B)), q([1.0, 0.5, 1.0], 0, 0),
                          c, ONE, True, True, NONE)
        np.testing.assert_array_equal(y, [[19, 16, 45]])  # 32 * 0.5

    def test_gemm_with_input_zero_point(self):
        y = conv_ops.gemm(i8([[3, 4]]), q(1.0, 2), i8(self.B), ONE, None, ONE, False, False, NONE)
        np.testing.assert_array_equal(y, [[9, 12, 15]])  # [1, 2] @ B

    def test_gemm_needs_alpha_and_beta_of_one(self):
        # Section 5.3: the compiler folded them and wrote 1; any other value is an invalid model.
        for alpha, beta in ((2.0, 1.0), (1.0, 0.5), (1.0, 0.0)):
            with self.assertRaisesRegex(Int8SpecError, 'alpha = beta = 1'):
                conv_ops.gemm(i8([[1, 2]]), ONE, i8(self.B), ONE, None, ONE, False, False, NONE,
                              alpha, beta)

    def test_matmul_subtracts_both_zero_points(self):
        y = conv_ops.matmul(i8([[3, 4]]), q(1.0, 2), i8([[1], [2]]), q(1.0, -1), ONE)
        np.testing.assert_array_equal(y, [[8]])  # [1, 2] @ [[2], [3]]


class ElementwiseTest(unittest.TestCase):
    def test_add_same_scales(self):
        # twice_max = 2, m_1 = m_2 = 0.5, m_y = 2^-19: 3 + 4 = 7 exactly; 100 + 100 saturates.
        y = elementwise_ops.add_sub(i8([3, 100]), ONE, i8([4, 100]), ONE, ONE, NONE)
        np.testing.assert_array_equal(y, [7, 127])

    def test_add_rounds_half_away(self):
        # s_y = 2: (3 + 0) / 2 = 1.5 -> 2 and -1.5 -> -2 (RDBPOT in the last step).
        y = elementwise_ops.add_sub(i8([3, -3]), ONE, i8([0, 0]), ONE, q(2.0), NONE)
        np.testing.assert_array_equal(y, [2, -2])

    def test_sub_broadcast_zero_points_relu(self):
        y = elementwise_ops.add_sub(i8([[10], [0]]), q(1.0, 1), i8([4, 12]), q(1.0, 2), q(1.0, -3),
                                    FusedActivation('relu'), subtract=True)
        # (x1 - 1) - (x2 - 2) - 3, floored at zp -3: [[9-2-3, 9-10-3], [-1-2-3, -1-10-3]]
        np.testing.assert_array_equal(y, [[4, -3], [-3, -3]])

    def test_add_differing_scales(self):
        # s = 0.5 and 0.25 into s_y = 0.25: 2 * 0.5 + 4 * 0.25 = 2.0 -> q 8.
        y = elementwise_ops.add_sub(i8([2]), q(0.5), i8([4]), q(0.25), q(0.25), NONE)
        np.testing.assert_array_equal(y, [8])

    def test_mul(self):
        # m = 0.5 * 0.5 / 0.25 = 1: products exact, saturating.
        y = elementwise_ops.mul(i8([5, 10]), q(0.5), i8([6, -20]), q(0.5), q(0.25), NONE)
        np.testing.assert_array_equal(y, [30, -128])
        # m = 0.25 = (2^30, -1): 30 -> SRDHM 15 -> RDBPOT(15, 1) = 8 (7.5 away from zero).
        y = elementwise_ops.mul(i8([5]), q(0.5), i8([6]), q(0.5), q(1.0), NONE)
        np.testing.assert_array_equal(y, [8])

    def test_concat(self):
        # Input 0 matches the output and is copied; input 1 (s 1) is rescaled by 0.5:
        # 3 -> 1.5 -> 2, -3 -> -1.5 -> -1 (SRDHM rounds ties up), 0 -> zp 1 -> 1.
        y = elementwise_ops.concat([i8([7, -128]), i8([3, -3, 0])], [q(2.0, 1), q(1.0, 0)],
                                   q(2.0, 1), 0)
        np.testing.assert_array_equal(y, [7, -128, 3, 0, 1])


class PoolTest(unittest.TestCase):
    def test_max_pool_ignores_padding(self):
        x = i8(np.arange(16).reshape(1, 1, 4, 4))
        np.testing.assert_array_equal(pool_ops.max_pool(x, [2, 2], [2, 2], [], [], [2, 2])[0, 0],
                                      [[5, 7], [13, 15]])
        x = i8(-np.arange(9).reshape(1, 1, 3, 3) - 100)  # all below any padding value
        y = pool_ops.max_pool(x, [3, 3], [1, 1], [1] * 4, [], [3, 3])
        np.testing.assert_array_equal(
            y[0, 0], [[-100, -100, -101], [-100, -100, -101], [-103, -103, -104]])

    def test_max_pool_ceil_mode(self):
        x = i8(np.arange(9).reshape(1, 1, 3, 3))
        np.testing.assert_array_equal(pool_ops.max_pool(x, [2, 2], [2, 2], [], [], [2, 2])[0, 0],
                                      [[4, 5], [7, 8]])

    def test_average_pool_counts(self):
        x = i8(np.full((1, 1, 3, 3), 10))
        # Corner with pad 1, zp 2: include pad: (4 * 10 + 5 * 2) / 9 = 5.56 -> 6; else 40 / 4 = 10.
        y = pool_ops.average_pool(x, 2, [3, 3], [1, 1], [1] * 4, [], True, [3, 3])
        self.assertEqual(y[0, 0, 0, 0], 6)
        self.assertEqual(y[0, 0, 0, 1], 7)  # (6 * 10 + 3 * 2) / 9 = 7.33
        self.assertEqual(y[0, 0, 1, 1], 10)
        y = pool_ops.average_pool(x, 2, [3, 3], [1, 1], [1] * 4, [], False, [3, 3])
        np.testing.assert_array_equal(y[0, 0], np.full((3, 3), 10))

    def test_average_rounding_ties_away(self):
        x = i8([[[7, 0, -7, 0, -5, 0, 0]]])
        # Windows of 2: 7/2 = 3.5 -> 4, -7/2 -> -4, -5/2 -> -3 (all stride 2); last: 0.
        y = pool_ops.average_pool(x, 0, [2], [2], [], [], False, [3])
        np.testing.assert_array_equal(y[0, 0], [4, -4, -3])

    def test_empty_output_when_the_dilated_window_exceeds_the_padded_input(self):
        # Kernel 3, dilation 3: span 7 > 5 + 1 padded positions. Section 5.8: an empty output is
        # valid; a non-empty one is not ONNX's.
        x = i8(np.arange(10).reshape(1, 2, 5))
        y = pool_ops.max_pool(x, [3], [1], [1, 0], [3], [0])
        self.assertEqual((y.shape, y.dtype), ((1, 2, 0), np.int8))
        y = pool_ops.average_pool(i8(np.ones((1, 1, 2, 6))), 0, [3, 2], [1, 1], [0] * 4, [], True,
                                  [0, 5])
        self.assertEqual(y.shape, (1, 1, 0, 5))
        with self.assertRaisesRegex(Int8SpecError, 'floor'):
            pool_ops.max_pool(x, [3], [2], [1, 0], [3], [1])

    def test_global_average_pool(self):
        y = pool_ops.global_average_pool(i8([[[1, 2, 3, 4]], [[-1, -2, -3, -4]]]))
        np.testing.assert_array_equal(y.ravel(), [3, -3])  # 2.5 -> 3, -2.5 -> -3


class ResizeTest(unittest.TestCase):
    def test_nearest_doubles(self):
        x = i8([[[[1, 2], [3, 4]]]])
        y = resize_op.resize(x, 0, [1, 1, 4, 4], [1, 1, 2, 2], 'nearest', 'asymmetric', 'floor')
        np.testing.assert_array_equal(y[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4],
                                               [3, 3, 4, 4]])

    def test_linear_half_pixel(self):
        # c = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, 0.25, 0.75, 1.
        x = i8([[[[0, 100]]]])
        y = resize_op.resize(x, 0, [1, 1, 1, 4], [1, 1, 1, 2], 'linear', 'half_pixel', 'floor')
        np.testing.assert_array_equal(y.ravel(), [0, 25, 75, 100])

    def test_linear_ties_round_away(self):
        # 2x upsampling of [0, 2] and [0, -2]: 0.25 * 2 = 0.5 -> 1 and -0.5 -> -1; zp shifts.
        def upsample(x, zp):
            y = resize_op.resize(i8([[[x]]]), zp, [1, 1, 1, 4], [1, 1, 1, 2], 'linear',
                                 'half_pixel', 'floor')
            return y.ravel()
        np.testing.assert_array_equal(upsample([0, 2], 0), [0, 1, 2, 2])  # 0.75 * 2 = 1.5 -> 2
        np.testing.assert_array_equal(upsample([0, -2], 0), [0, -1, -2, -2])
        np.testing.assert_array_equal(upsample([5, 7], 5), [5, 6, 7, 7])

    def test_align_corners(self):
        # c = o * (2 - 1) / (3 - 1) = 0, 0.5, 1.
        y = resize_op.resize(i8([[0, 10]]), 0, [1, 3], [1, 1.5], 'linear', 'align_corners', 'floor')
        np.testing.assert_array_equal(y.ravel(), [0, 5, 10])

    def test_align_corners_measures_the_resized_length_from_the_scale(self):
        # Section 5.9: L_in 3, scale 1.5 -> output 4 but R = 4.5, so c = o * 2 / 3.5:
        # 0, 0.5714, 1.1429, 1.7143 -> c10 = 0, 585, 1170, 1755 (low weight 1024 - f):
        # (-37 * 439 - 16 * 585) / 1024 = -25.0; (-16 * 878 - 115 * 146) / 1024 = -30.1;
        # (-16 * 293 - 115 * 731) / 1024 = -86.7. (With the output length, c = o * 2 / 3.)
        y = resize_op.resize(i8([-37, -16, -115]), 0, [4], [1.5], 'linear', 'align_corners',
                             'floor')
        np.testing.assert_array_equal(y, [-37, -25, -30, -87])

    def test_pytorch_half_pixel_with_one_output_but_r_above_one(self):
        # L_in 3, scale 0.4: one output, R = 1.2 > 1, so c = 0.5 / 0.4 - 0.5 = 0.75, not 0:
        # c10 = 768, (0 * 256 + 100 * 768) / 1024 = 75.
        y = resize_op.resize(i8([0, 100, 20]), 0, [1], [0.4], 'linear', 'pytorch_half_pixel',
                             'floor')
        np.testing.assert_array_equal(y, [75])
        # R = 0.4 * 2 = 0.8 <= 1: c = 0 (the first element).
        y = resize_op.resize(i8([30, 100]), 0, [1], [0.4], 'linear', 'pytorch_half_pixel', 'floor')
        np.testing.assert_array_equal(y, [30])

    def test_rejects_scales_that_are_not_positive(self):
        for scale in (0.0, -2.0, float('inf'), float('nan')):
            with self.assertRaises(Int8SpecError):
                resize_op.resize(i8([1, 2]), 0, [2], [scale], 'nearest', 'asymmetric', 'floor')

    def test_nearest_roundings(self):
        c = np.array([-0.5, 0.5, 1.5, 1.25, 2.75], np.float32)
        cases = {'round_prefer_floor': [0, 0, 1, 1, 2], 'round_prefer_ceil': [0, 1, 2, 1, 2],
                 'floor': [0, 0, 1, 1, 2], 'ceil': [0, 1, 2, 2, 2]}
        for rounding, expected in cases.items():
            np.testing.assert_array_equal(resize_op.nearest_indices(c, 3, rounding), expected,
                                          rounding)


class TableOpsTest(unittest.TestCase):
    def test_exp_table(self):
        t = table_ops.exp_table(np.float32(math.log(2)))
        self.assertEqual((t[255], t[254], t[253], t[0]), (65536, 32768, 16384, 0))

    def test_softmax(self):
        t = table_ops.exp_table(np.float32(math.log(2)))
        # Equal row of 4: (65536 * 256 + 131072) / 262144 = 64.5 -> 64, - 128 = -64.
        np.testing.assert_array_equal(table_ops.softmax(i8([[5, 5, 5, 5]]), t, 1), [[-64] * 4])
        # [10, 9]: e = [65536, 32768], sum 98304: 171.17 -> 43, 85.83 -> -43.
        np.testing.assert_array_equal(table_ops.softmax(i8([[10, 9]]), t, -1), [[43, -43]])
        # One element: 256 - 128 = 128, clamped to 127. Along axis 0 here.
        np.testing.assert_array_equal(table_ops.softmax(i8([[3, -3]]), t, 0), [[127, 127]])

    def test_lookup_tables(self):
        relu = table_ops.lookup_table('relu', q(0.5, 0), q(0.5, -128))
        self.assertEqual((relu[-3 + 128], relu[4 + 128]), (-128, -124))
        leaky = table_ops.lookup_table('leaky_relu', ONE, ONE, alpha=0.5)
        self.assertEqual((leaky[-4 + 128], leaky[-3 + 128], leaky[3 + 128]), (-2, -2, 3))
        sigmoid = table_ops.lookup_table('sigmoid', q(1.0, 7), table_ops.SIGMOID_OUTPUT)
        self.assertEqual((sigmoid[7 + 128], sigmoid[127 + 128], sigmoid[0]), (0, 127, -128))
        tanh = table_ops.lookup_table('tanh', ONE, table_ops.TANH_OUTPUT)
        self.assertEqual((tanh[128], tanh[255], tanh[0]), (0, 127, -128))
        clip = table_ops.lookup_table('clip', q(0.5), q(0.5), clip_min=-1.0, clip_max=1.0)
        self.assertEqual((clip[5 + 128], clip[-5 + 128], clip[1 + 128]), (2, -2, 1))
        np.testing.assert_array_equal(table_ops.apply_table(i8([-128, 4, 127]), relu),
                                      [-128, -124, -1])


class LayoutOpsTest(unittest.TestCase):
    def test_pad_modes(self):
        x = i8([[1, 2, 3]])
        np.testing.assert_array_equal(layout_ops.pad(x, -5, [0, 2, 0, 1], 'constant', 0.0),
                                      [[-5, -5, 1, 2, 3, -5]])
        np.testing.assert_array_equal(layout_ops.pad(x, 0, [0, 2, 0, 1], 'reflect', 0.0),
                                      [[3, 2, 1, 2, 3, 2]])
        np.testing.assert_array_equal(layout_ops.pad(x, 0, [0, 2, 0, 1], 'edge', 0.0),
                                      [[1, 1, 1, 2, 3, 3]])
        np.testing.assert_array_equal(layout_ops.pad(x, 9, [0, -1, 0, 1], 'constant', 0.0),
                                      [[2, 3, 9]])
        with self.assertRaises(Int8SpecError):
            layout_ops.pad(x, 0, [0, 1, 0, 0], 'constant', 1.5)

    def test_constant_pad_crops_then_pads(self):
        # Axis 1: crop one at the begin, then two zp at the end; axis 0: one zp row before.
        np.testing.assert_array_equal(layout_ops.pad(i8([[1, 2, 3]]), 7, [1, -1, 0, 2],
                                                     'constant', 0.0),
                                      [[7, 7, 7, 7], [2, 3, 7, 7]])
        # Cropping an axis to nothing leaves zp only.
        np.testing.assert_array_equal(layout_ops.pad(i8([[1, 2]]), -4, [0, -2, 0, 1], 'constant',
                                                     0.0), [[-4]])
        with self.assertRaisesRegex(Int8SpecError, 'crops more'):
            layout_ops.pad(i8([[1, 2]]), 0, [0, -2, 0, -1], 'constant', 0.0)

    def test_reflect_and_edge_pads_cannot_crop(self):
        x = i8([[1, 2, 3]])
        for mode in ('reflect', 'edge'):
            with self.assertRaisesRegex(Int8SpecError, 'negative pad'):
                layout_ops.pad(x, 0, [0, -1, 0, 1], mode, 0.0)

    def test_reflect_pads_are_smaller_than_the_axis(self):
        x = i8([[1, 2, 3]])
        np.testing.assert_array_equal(layout_ops.pad(x, 0, [0, 2, 0, 2], 'reflect', 0.0),
                                      [[3, 2, 1, 2, 3, 2, 1]])
        for pads in ([0, 3, 0, 0], [0, 0, 0, 3], [1, 0, 0, 0]):  # axis 0 has length 1
            with self.assertRaisesRegex(Int8SpecError, 'smaller than the axis'):
                layout_ops.pad(x, 0, pads, 'reflect', 0.0)
        # Edge has no such limit: a pad longer than the axis repeats the edge.
        np.testing.assert_array_equal(layout_ops.pad(x, 0, [2, 0, 0, 4], 'edge', 0.0),
                                      [[1, 2, 3, 3, 3, 3, 3]] * 3)

    def test_slice_and_transpose(self):
        x = i8(np.arange(12).reshape(3, 4))
        np.testing.assert_array_equal(layout_ops.slice_(x, [2, 3], [-1, -2], [3, 2]),
                                      [[11, 9], [7, 5], [3, 1]])
        with self.assertRaises(Int8SpecError):
            layout_ops.slice_(x, [2, 3], [1, 1], [2, 1])
        np.testing.assert_array_equal(layout_ops.transpose(x, [1, 0]), x.T)


if __name__ == '__main__':
    unittest.main()
