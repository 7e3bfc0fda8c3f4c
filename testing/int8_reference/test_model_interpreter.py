"""The interpreter's plumbing: for every op of runtime/ops.def, a one-op model file whose parameters
differ from the defaults must give what the op function gives with those parameters, and not what it
gives with the defaults (so a parameter the interpreter dropped or misread is caught). And the
model-file rules of docs/int8_spec.md section 6, with the v2 sentences of section 5 that only a file
can break (Gemm's alpha and beta, empty pool outputs)."""
import os
import tempfile
import unittest

import numpy as np

import conv_ops
import elementwise_ops
import layout_ops
import pool_ops
import resize_op
import table_ops
from int8_reference import FusedActivation, Int8SpecError, QuantParams
from model_file import ModelError, default_ops_def, read_model, read_op_table
from model_interpreter import run
from vgl_builder import VglBuilder

RNG = np.random.default_rng(51)
Q_IN, Q_OUT = QuantParams(np.float32(0.05), -7), QuantParams(np.float32(0.08), 3)


def random_int8(shape):
    return RNG.integers(-128, 128, shape).astype(np.int8)


class OneOpModel:
    """A model with int8 graph inputs, one op and an int8 graph output."""

    def __init__(self):
        self.b = VglBuilder()
        self.inputs = []

    def input(self, shape, q=Q_IN):
        self.inputs.append(self.b.tensor(f'in{len(self.inputs)}', shape, 'int8', scale=q.scale,
                                         zero_point=q.zero_point))
        return self.inputs[-1]

    def constant(self, data, dtype, q=None, axis=-1, zero_point=0):
        kwargs = {} if q is None else {'scale': q, 'axis': axis, 'zero_point': zero_point}
        return self.b.tensor('const', np.shape(data), dtype, data=data, **kwargs)

    def run(self, op, inputs, out_shape, arrays, params=None, q_out=Q_OUT):
        out = self.b.tensor('out', out_shape, 'int8', scale=q_out.scale,
                            zero_point=q_out.zero_point)
        self.b.op(op, inputs, [out], params, node_name=op.lower())
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, 'op.vgl')
            with open(path, 'wb') as f:
                f.write(self.b.build(self.inputs, [out]))
            model = read_model(path, read_op_table(default_ops_def()))
        return run(model, arrays)[0][0]


class InterpreterPlumbingTest(unittest.TestCase):
    def check(self, got, expected, with_defaults):
        np.testing.assert_array_equal(got, expected)
        self.assertFalse(np.array_equal(got, with_defaults), 'parameters had no effect')

    def test_conv(self):
        m, x, w = OneOpModel(), random_int8((1, 4, 9, 8)), random_int8((6, 2, 3, 2)).clip(-127)
        bias, scales = RNG.integers(-900, 900, 6).astype(np.int32), np.linspace(0.002, 0.01, 6)
        clip = FusedActivation('clip', -0.5, 2.0)
        p = m.b.params('ConvParams', strides=[2, 1], pads=[1, 0, 2, 1], dilations=[1, 2], group=2,
                       activation=m.b.activation('clip', min=-0.5, max=2.0))
        inputs = [m.input(x.shape), m.constant(w, 'int8', scales, 0), m.constant(bias, 'int32')]
        geometry = ([2, 1], [1, 0, 2, 1], [1, 2])
        q_w = QuantParams(scales.astype(np.float32), 0, 0)
        expected = conv_ops.conv(x, Q_IN, w, q_w, bias, Q_OUT, *geometry, 2, clip)
        got = m.run('Conv', inputs, expected.shape, [x], p)
        defaults = conv_ops.conv(x, Q_IN, w, q_w, bias, Q_OUT, *geometry, 2, FusedActivation())
        self.check(got, expected, defaults)

    def test_conv_transpose(self):
        m, x, w = OneOpModel(), random_int8((1, 4, 3, 3)), random_int8((4, 3, 2, 2)).clip(-127)
        p = m.b.params('ConvParams', strides=[2, 2], pads=[0, 1, 0, 0], dilations=[1, 1], group=2,
                       outputPadding=[1, 0])
        inputs = [m.input(x.shape), m.constant(w, 'int8', 0.01)]
        q_w = QuantParams(np.float32(0.01))
        expected = conv_ops.conv_transpose(x, Q_IN, w, q_w, None, Q_OUT, [2, 2], [0, 1, 0, 0],
                                           [1, 1], [1, 0], 2, FusedActivation(), [7, 5])
        got = m.run('ConvTranspose', inputs, expected.shape, [x], p)
        self.assertEqual(got.shape, (1, 6, 7, 5))
        np.testing.assert_array_equal(got, expected)

    def test_pools(self):
        x = random_int8((1, 2, 7, 7))
        for count_include_pad in (False, True):
            m = OneOpModel()
            p = m.b.params('PoolParams', kernel=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                           dilations=[], countIncludePad=count_include_pad)
            got = m.run('AveragePool', [m.input(x.shape, Q_IN)], [1, 2, 4, 4], [x], p, Q_IN)
            expected = pool_ops.average_pool(x, Q_IN.zero_point, [3, 3], [2, 2], [1] * 4, [],
                                             count_include_pad, [4, 4])
            np.testing.assert_array_equal(got, expected)
        m = OneOpModel()
        p = m.b.params('PoolParams', kernel=[2, 2], strides=[2, 2], pads=[], dilations=[2, 1])
        got = m.run('MaxPool', [m.input(x.shape, Q_IN)], [1, 2, 3, 4], [x], p, Q_IN)
        np.testing.assert_array_equal(got, pool_ops.max_pool(x, [2, 2], [2, 2], [], [2, 1], [3, 4]))
        m = OneOpModel()
        got = m.run('GlobalAveragePool', [m.input(x.shape, Q_IN)], [1, 2, 1, 1], [x], None, Q_IN)
        np.testing.assert_array_equal(got, pool_ops.global_average_pool(x))

    def test_pass_through_ops_need_equal_quantization(self):
        x = random_int8((1, 2, 4, 4))
        m = OneOpModel()
        with self.assertRaisesRegex(Int8SpecError, 'same'):
            m.run('GlobalAveragePool', [m.input(x.shape, Q_IN)], [1, 2, 1, 1], [x], None, Q_OUT)

    def test_gemm_and_matmul(self):
        a, b = random_int8((5, 3)), random_int8((4, 5)).clip(-127)
        c = RNG.integers(-500, 500, 4).astype(np.int32)
        m = OneOpModel()
        p = m.b.params('GemmParams', transA=True, transB=True,
                       activation=m.b.activation('relu'))
        inputs = [m.input(a.shape), m.constant(b, 'int8', [0.01] * 4, 0), m.constant(c, 'int32')]
        q_b = QuantParams(np.full(4, 0.01, np.float32), 0, 0)
        expected = conv_ops.gemm(a, Q_IN, b, q_b, c, Q_OUT, True, True, FusedActivation('relu'))
        got = m.run('Gemm', inputs, [3, 4], [a], p)
        defaults = conv_ops.gemm(a, Q_IN, b, q_b, c, Q_OUT, True, True, FusedActivation())
        self.check(got, expected, defaults)
        m, a2 = OneOpModel(), random_int8((2, 3, 5))
        inputs = [m.input(a2.shape), m.input(a.shape, Q_OUT)]
        got = m.run('MatMul', inputs, [2, 3, 3], [a2, a])
        np.testing.assert_array_equal(got, conv_ops.matmul(a2, Q_IN, a, Q_OUT, Q_OUT))

    def test_binary_ops(self):
        x1, x2 = random_int8((2, 1, 4)), random_int8((3, 1))
        relu = FusedActivation('relu')
        for op in ('Add', 'Sub', 'Mul'):
            m = OneOpModel()
            p = m.b.params('ElementwiseParams', activation=m.b.activation('relu'))
            got = m.run(op, [m.input(x1.shape), m.input(x2.shape, Q_OUT)], [2, 3, 4], [x1, x2], p)
            if op == 'Mul':
                expected = elementwise_ops.mul(x1, Q_IN, x2, Q_OUT, Q_OUT, relu)
            else:
                expected = elementwise_ops.add_sub(x1, Q_IN, x2, Q_OUT, Q_OUT, relu, op == 'Sub')
            np.testing.assert_array_equal(got, expected, op)

    def test_concat(self):
        x1, x2 = random_int8((2, 3)), random_int8((2, 2))
        m = OneOpModel()
        p = m.b.params('AxisParams', axis=1)
        got = m.run('Concat', [m.input(x1.shape), m.input(x2.shape, Q_OUT)], [2, 5], [x1, x2], p)
        expected = elementwise_ops.concat([x1, x2], [Q_IN, Q_OUT], Q_OUT, 1)
        np.testing.assert_array_equal(got, expected)

    def test_table_ops(self):
        x = np.arange(-128, 128, dtype=np.int8)
        cases = [('Relu', 'relu', None, {}), ('LeakyRelu', 'leaky_relu', {'alpha': 0.25}, {}),
                 ('Clip', 'clip', {'min': -1.0, 'max': 3.0}, {}),
                 ('Sigmoid', 'sigmoid', None, table_ops.SIGMOID_OUTPUT),
                 ('Tanh', 'tanh', None, table_ops.TANH_OUTPUT)]
        for op, kind, fields, q_out in cases:
            q_out = q_out or Q_OUT
            fields = fields or {}
            table = table_ops.lookup_table(kind, Q_IN, q_out, fields.get('alpha', 0.01),
                                           fields.get('min', 0.0), fields.get('max', 0.0))
            m = OneOpModel()
            p = m.b.activation(kind, **fields) if op in ('LeakyRelu', 'Clip') else None
            inputs = [m.input(x.shape), m.constant(table, 'int8', q_out.scale,
                                                   zero_point=q_out.zero_point)]
            got = m.run(op, inputs, [256], [x], p, q_out)
            np.testing.assert_array_equal(got, table, op)  # x runs through every entry

    def test_softmax(self):
        x = random_int8((3, 5, 2))
        table = table_ops.exp_table(Q_IN.scale)
        m = OneOpModel()
        inputs = [m.input(x.shape), m.constant(table, 'int32')]
        got = m.run('Softmax', inputs, x.shape, [x], m.b.params('AxisParams', axis=1),
                    table_ops.SOFTMAX_OUTPUT)
        self.check(got, table_ops.softmax(x, table, 1), table_ops.softmax(x, table, -1))

    def test_resize(self):
        x = random_int8((1, 2, 3, 4))
        m = OneOpModel()
        p = m.b.params('ResizeParams', mode=0, coordinateTransform=1, nearestRounding=3,
                       scales=[1.0, 1.0, 1.5, 1.25])
        got = m.run('Resize', [m.input(x.shape, Q_IN)], [1, 2, 4, 5], [x], p, Q_IN)
        args = (x, Q_IN.zero_point, [1, 2, 4, 5], [1, 1, 1.5, 1.25], 'nearest')
        self.check(got, resize_op.resize(*args, 'asymmetric', 'ceil'),
                   resize_op.resize(*args, 'half_pixel', 'round_prefer_floor'))

    def test_layout_ops(self):
        x = random_int8((2, 3, 4))
        m = OneOpModel()
        got = m.run('Transpose', [m.input(x.shape, Q_IN)], [4, 2, 3], [x],
                    m.b.params('TransposeParams', perm=[2, 0, 1]), Q_IN)
        np.testing.assert_array_equal(got, np.transpose(x, [2, 0, 1]))
        m = OneOpModel()
        got = m.run('Slice', [m.input(x.shape, Q_IN)], [1, 3, 2], [x],
                    m.b.params('SliceParams', starts=[1, 0, 3], steps=[1, 1, -2]), Q_IN)
        np.testing.assert_array_equal(got, x[1:2, :, 3::-2])
        m = OneOpModel()
        got = m.run('Pad', [m.input(x.shape, Q_IN)], [2, 5, 4], [x],
                    m.b.params('PadParams', pads=[0, 1, 0, 0, 1, 0], mode=1), Q_IN)
        np.testing.assert_array_equal(got, layout_ops.pad(x, 0, [0, 1, 0, 0, 1, 0], 'reflect', 0))
        m = OneOpModel()
        got = m.run('Reshape', [m.input(x.shape, Q_IN)], [6, 4], [x], None, Q_IN)
        np.testing.assert_array_equal(got, x.reshape(6, 4))


class FileRulesTest(unittest.TestCase):
    """Section 6 and the v2 sentences of section 5, checked on model files."""

    def test_int8_tensor_without_quantization(self):
        m, x = OneOpModel(), random_int8((4,))
        table = m.b.tensor('table', [256], 'int8', data=table_ops.lookup_table('relu', Q_IN, Q_OUT))
        with self.assertRaisesRegex(ModelError, 'table.*int8 without quantization'):
            m.run('Relu', [m.input(x.shape), table], [4], [x])

    def test_table_carries_the_output_parameters(self):
        m, x = OneOpModel(), random_int8((4,))
        table = table_ops.lookup_table('relu', Q_IN, Q_OUT)
        with self.assertRaisesRegex(Int8SpecError, 'carries the output'):
            m.run('Relu', [m.input(x.shape), m.constant(table, 'int8', 1.0)], [4], [x])

    def test_one_scale_means_axis_minus_one(self):
        m, x, w = OneOpModel(), random_int8((1, 2, 3)), random_int8((1, 2, 1)).clip(-127)
        with self.assertRaisesRegex(ModelError, 'one scale with axis 0'):
            m.run('Conv', [m.input(x.shape), m.constant(w, 'int8', [0.01], 0)], [1, 1, 3], [x])

    def test_per_channel_scales_run_along_a_real_axis(self):
        m, x, w = OneOpModel(), random_int8((1, 2, 3)), random_int8((2, 2, 1)).clip(-127)
        with self.assertRaisesRegex(ModelError, 'non-negative axis'):
            m.run('Conv', [m.input(x.shape), m.constant(w, 'int8', [0.01, 0.02], -1)], [1, 2, 3],
                  [x])

    def test_axes_are_non_negative(self):
        x = random_int8((2, 3))
        table = table_ops.exp_table(Q_IN.scale)
        for axis in (-1, 2):
            m = OneOpModel()
            with self.assertRaisesRegex(Int8SpecError, 'non-negative'):
                m.run('Softmax', [m.input(x.shape), m.constant(table, 'int32')], [2, 3], [x],
                      m.b.params('AxisParams', axis=axis), table_ops.SOFTMAX_OUTPUT)
            m = OneOpModel()
            with self.assertRaisesRegex(Int8SpecError, 'non-negative'):
                m.run('Concat', [m.input(x.shape)], [2, 3], [x],
                      m.b.params('AxisParams', axis=axis))
        m = OneOpModel()
        with self.assertRaisesRegex(ModelError, 'needs its AxisParams'):
            m.run('Softmax', [m.input(x.shape), m.constant(table, 'int32')], [2, 3], [x], None,
                  table_ops.SOFTMAX_OUTPUT)

    def test_gemm_alpha_beta_from_the_file(self):
        a, b = random_int8((2, 3)), random_int8((3, 4)).clip(-127)
        for alpha, beta, ok in ((1.0, 1.0, True), (0.5, 1.0, False), (1.0, 2.0, False)):
            m = OneOpModel()
            p = m.b.params('GemmParams', alpha=alpha, beta=beta)
            inputs = [m.input(a.shape), m.constant(b, 'int8', 0.01)]
            if ok:
                expected = conv_ops.gemm(a, Q_IN, b, QuantParams(np.float32(0.01)), None, Q_OUT,
                                         False, False, FusedActivation())
                np.testing.assert_array_equal(m.run('Gemm', inputs, [2, 4], [a], p), expected)
            else:
                with self.assertRaisesRegex(Int8SpecError, 'alpha = beta = 1'):
                    m.run('Gemm', inputs, [2, 4], [a], p)

    def test_empty_pool_output(self):
        x = random_int8((1, 2, 3, 3))
        m = OneOpModel()
        p = m.b.params('PoolParams', kernel=[2, 2], strides=[1, 1], pads=[], dilations=[3, 1])
        got = m.run('MaxPool', [m.input(x.shape, Q_IN)], [1, 2, 0, 2], [x], p, Q_IN)
        self.assertEqual((got.shape, got.dtype), ((1, 2, 0, 2), np.int8))


if __name__ == '__main__':
    unittest.main()
