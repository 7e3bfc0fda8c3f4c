"""run_model.py end to end on .vgl files built by vgl_builder.py: hand-computed golden outputs, the
tensor dump, and clear errors (exit 1, nothing written) for damaged files and models the spec does
not define."""
import contextlib
import io
import os
import struct
import tempfile
import unittest
import zlib

import numpy as np

import run_model
import table_ops
from int8_reference import QuantParams
from vgl_builder import VglBuilder


def conv_model(bias=0, table=None):
    """x float32 [1,1,3,3] -> Quantize (0.5, 0) -> Conv 3x3 ones, pad 1 (s_w 1, s_y 0.5) ->
    Sigmoid (optional, with `table`) -> Dequantize."""
    b = VglBuilder()
    x = b.tensor('input:0', [1, 1, 3, 3], 'float32')
    xq = b.tensor('x/quantized', [1, 1, 3, 3], 'int8', scale=0.5)
    w = b.tensor('w', [1, 1, 3, 3], 'int8', scale=1.0, data=np.ones((1, 1, 3, 3)))
    bias_t = b.tensor('bias', [1], 'int32', scale=0.5, data=[bias])
    y = b.tensor('conv', [1, 1, 3, 3], 'int8', scale=0.5)
    b.op('Quantize', [x], [xq])
    b.op('Conv', [xq, w, bias_t], [y], b.params('ConvParams', strides=[1, 1], pads=[1, 1, 1, 1],
                                                 dilations=[1, 1], group=1), 'conv1')
    if table is not None:
        s = b.tensor('sigmoid', [1, 1, 3, 3], 'int8', scale=1 / 256, zero_point=-128)
        t = b.tensor('sigmoid/table', [256], 'int8', scale=1 / 256, zero_point=-128, data=table)
        b.op('Sigmoid', [y, t], [s])
        y = s
    out = b.tensor('output', [1, 1, 3, 3], 'float32')
    b.op('Dequantize', [y], [out])
    return b.build([x], [out])


def sigmoid_table():
    """The spec's table for a Sigmoid after conv_model's Conv (output (0.5, 0))."""
    return table_ops.lookup_table('sigmoid', QuantParams(np.float32(0.5), 0),
                                  table_ops.SIGMOID_OUTPUT)


class RunModelTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def write(self, name, data):
        with open(self.path(name), 'wb') as f:
            f.write(data)
        return self.path(name)

    def run_tool(self, model_bytes, x, *extra):
        """Runs run_model.main; returns (exit status, stderr text)."""
        np.save(self.path('in.npy'), x)
        args = [self.write('model.vgl', model_bytes), '--input', self.path('in.npy'),
                '--output', self.path('out.npy'), *extra]
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            try:
                status = run_model.main(args)
            except SystemExit as exit_:
                status = exit_.code
        return status, stderr.getvalue()

    def assert_fails(self, model_bytes, x, *message_parts):
        status, err = self.run_tool(model_bytes, x)
        self.assertEqual(status, 1, err)
        for part in message_parts:
            self.assertIn(part, err)
        self.assertFalse(os.path.exists(self.path('out.npy')), 'a failed run wrote its output')

    def test_golden_output_and_dump(self):
        x = np.full((1, 1, 3, 3), 0.5, np.float32)  # quantizes to 1
        status, err = self.run_tool(conv_model(bias=2), x, '--dump-dir', self.path('dump'))
        self.assertEqual(status, 0, err)
        # acc = taps inside + bias 2; m = 0.5 * 1 / 0.5 = 1; dequantized at 0.5.
        expected = 0.5 * (np.array([[4, 6, 4], [6, 9, 6], [4, 6, 4]]) + 2)
        y = np.load(self.path('out.npy'))
        self.assertEqual(y.dtype, np.float32)
        np.testing.assert_array_equal(y[0, 0], expected)
        dump = sorted(os.listdir(self.path('dump')))
        self.assertEqual(dump, ['0_input_0.npy', '1_x_quantized.npy', '2_w.npy', '3_bias.npy',
                                '4_conv.npy', '5_output.npy'])
        np.testing.assert_array_equal(np.load(os.path.join(self.path('dump'), '1_x_quantized.npy')),
                                      np.ones((1, 1, 3, 3), np.int8))

    def test_table_op_with_the_spec_table(self):
        # The input quantizes to 0, the Conv gives 0 (no bias), sigmoid(0) = 0.5.
        status, err = self.run_tool(conv_model(table=sigmoid_table()),
                                    np.zeros((1, 1, 3, 3), np.float32))
        self.assertEqual(status, 0, err)
        np.testing.assert_array_equal(np.load(self.path('out.npy')),
                                      np.full((1, 1, 3, 3), 0.5, np.float32))

    def test_table_that_differs_from_the_spec_is_rejected(self):
        table = sigmoid_table()
        table[200] += 1
        self.assert_fails(conv_model(table=table), np.zeros((1, 1, 3, 3), np.float32),
                          'Sigmoid table differs from the spec', 'index 200')

    def test_damaged_files(self):
        good = conv_model()
        x = np.zeros((1, 1, 3, 3), np.float32)
        flipped = bytearray(good)
        flipped[40] ^= 1
        self.assert_fails(bytes(flipped), x, 'CRC-32')
        self.assert_fails(b'VGL2' + good[4:], x, 'magic')
        self.assert_fails(good[:10], x, 'shorter than the 16-byte header')
        self.assert_fails(good[:-4], x, 'FlatBuffer bytes')
        self.assert_fails(good[:4] + (2).to_bytes(4, 'little') + good[8:], x, 'header version 2')

    def test_damaged_flatbuffer_with_valid_crc_fails_cleanly(self):
        """Random byte changes behind a recomputed CRC: every run ends in exit 0 or 1, never a
        traceback (the flatbuffers runtime has no verifier, so the reader must cope)."""
        good = conv_model(bias=3, table=sigmoid_table())
        rng = np.random.default_rng(41)
        statuses = set()
        for trial in range(200):
            payload = bytearray(good[16:])
            for position in rng.integers(0, len(payload), rng.integers(1, 4)):
                payload[position] = rng.integers(0, 256)
            header = struct.pack('<4sIII', b'VGL1', 1, len(payload), zlib.crc32(payload))
            status, err = self.run_tool(header + bytes(payload), np.ones((1, 1, 3, 3), np.float32))
            self.assertIn(status, (0, 1), f'trial {trial}: {err}')
            self.assertTrue(status == 0 or err.startswith('run_model.py: error: '), err)
            statuses.add(status)
        self.assertEqual(statuses, {0, 1})

    def test_float_island_is_rejected(self):
        b = VglBuilder()
        x = b.tensor('x', [4], 'float32')
        xq = b.tensor('xq', [4], 'int8', scale=0.1)
        xf = b.tensor('xf', [4], 'float32')
        y = b.tensor('y', [4], 'float32')
        b.op('Quantize', [x], [xq])
        b.op('Dequantize', [xq], [xf])
        b.op('Relu', [xf], [y], node_name='relu_in_float')
        self.assert_fails(b.build([x], [y]), np.zeros(4, np.float32), 'float island',
                          'relu_in_float')

    def test_accumulator_overflow_is_rejected(self):
        self.assert_fails(conv_model(bias=2**31 - 5), np.ones((1, 1, 3, 3), np.float32),
                          'Conv accumulator leaves int32')

    def test_bad_inputs(self):
        self.assert_fails(conv_model(), np.zeros((1, 1, 3, 3), np.float64),
                          'must be float32 [1, 1, 3, 3]')
        self.assert_fails(conv_model(), np.zeros((1, 3, 3), np.float32), 'got float32 [1, 3, 3]')

    def test_usage_error_exits_2(self):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), self.assertRaises(SystemExit) as exit_:
            run_model.main([self.write('model.vgl', conv_model()), '--input', 'x.npy'])
        self.assertEqual(exit_.exception.code, 2)
        self.assertIn('--output', stderr.getvalue())

    def test_sanitised_names(self):
        self.assertEqual(run_model.sanitised('enc1/conv:0 (x)'), 'enc1_conv_0__x_')
        self.assertEqual(run_model.sanitised(''), 'unnamed')


if __name__ == '__main__':
    unittest.main()
