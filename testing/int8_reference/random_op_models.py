"""Random one-op int8 models for every op of docs/int8_spec.md, built in Python (vgl_builder.py),
for comparing the C++ runtime with this reference (cross_check.py).

Each model is float32 in, Quantize, the op, Dequantize, float32 out, so it runs unchanged in
`vigil run`. Parameters are drawn over the spec's edge cases: zero points at -128 and 127, tiny
and large scales, per-channel weights with an all-zero channel, saturating biases, fused
Relu/Clip (bounds inside, across and wholly outside the output's range), strides, dilations,
groups, negative ConvTranspose pads, ceil-mode pools and empty pool outputs, every Resize mode and
coordinate transform with scales given as sizes (output/input) or as scales (R = scale * L_in not
the output length), constant Pad crops, reflect pads up to one less than the axis, NaN and
infinities into Quantize. Only models the spec defines are drawn (reflect/edge Pad never crops,
section 5.12).

    data, inputs = random_model(np.random.default_rng(0), 'Conv')  # .vgl bytes, float32 arrays
"""
import numpy as np

import table_ops
from int8_reference import QuantParams
from vgl_builder import VglBuilder


class _Model:
    """A one-op model under construction: float inputs, each quantized to the op's int8 input."""

    def __init__(self, rng):
        self.rng, self.b = rng, VglBuilder()
        self.graph_inputs, self.arrays = [], []

    def quant(self):
        r = self.rng
        scale = r.choice([r.uniform(1e-4, 1e-3), r.uniform(1e-3, 0.1), r.uniform(0.5, 4.0)])
        zero_point = r.choice([-128, 127, 0, r.integers(-128, 128)])
        return QuantParams(np.float32(scale), int(zero_point))

    def int8_input(self, shape, q=None):
        """A Quantize'd graph input whose int8 values are uniform over [-128, 127]."""
        q = q or self.quant()
        values = self.rng.integers(-128, 128, shape).astype(np.float32)
        n = len(self.graph_inputs)
        f = self.b.tensor(f'input{n}', shape, 'float32')
        t = self.b.tensor(f'input{n}/int8', shape, 'int8', scale=q.scale, zero_point=q.zero_point)
        self.b.op('Quantize', [f], [t])
        self.graph_inputs.append(f)
        self.arrays.append((values - np.float32(q.zero_point)) * np.float32(q.scale))
        return t, q

    def constant(self, data, dtype, scale=None, axis=-1, zero_point=0):
        """A constant tensor; a single scale is written per tensor (axis -1, section 6)."""
        axis = axis if np.size(scale) > 1 else -1
        kwargs = {} if scale is None else {'scale': scale, 'axis': axis, 'zero_point': zero_point}
        return self.b.tensor('constant', np.shape(data), dtype, data=data, **kwargs)

    def activation(self):
        kind = self.rng.choice(['none', 'relu', 'clip'])
        if kind == 'clip':
            return self.b.activation('clip', **self.clip_bounds())
        return self.b.activation(kind)

    def clip_bounds(self):
        """Usually a ReLU6-like range; sometimes one wholly above or below any output range, whose
        section 3 bounds both clamp to 127 or to -128."""
        r = self.rng
        low, high = {0: (r.uniform(-3, 0), r.uniform(0.1, 6)), 1: (r.uniform(50, 500), 1e4),
                     2: (-1e4, r.uniform(-500, -50)),
                     3: sorted(r.uniform(-2, 2, 2))}[int(r.choice(4, p=[0.55, 0.15, 0.15, 0.15]))]
        return {'min': float(low), 'max': float(high)}

    def finish(self, op, inputs, out_shape, q=None, params=None):
        q = q or self.quant()
        y = self.b.tensor('output/int8', out_shape, 'int8', scale=q.scale, zero_point=q.zero_point)
        self.b.op(op, inputs, [y], params, op.lower())
        out = self.b.tensor('output', out_shape, 'float32')
        self.b.op('Dequantize', [y], [out])
        return self.b.build(self.graph_inputs, [out]), self.arrays


def _ints(rng, lo, hi, n):
    return [int(v) for v in rng.integers(lo, hi, n)]


def _conv(m, r):
    rank, group = int(r.integers(1, 3)), int(r.choice([1, 2]))
    c, out_c = group * int(r.integers(1, 4)), group * int(r.integers(1, 4))
    kernel, dilations, strides = _ints(r, 1, 4, rank), _ints(r, 1, 3, rank), _ints(r, 1, 3, rank)
    pads = _ints(r, 0, 3, 2 * rank)
    spatial = [d * (k - 1) + int(r.integers(1, 6)) for d, k in zip(dilations, kernel)]
    out = [(spatial[a] + pads[a] + pads[rank + a] - dilations[a] * (kernel[a] - 1) - 1)
           // strides[a] + 1 for a in range(rank)]
    w = r.integers(-127, 128, [out_c, c // group] + kernel)
    w[0] *= r.random() < 0.3  # sometimes an all-zero channel
    scales = r.uniform(0.001, 0.05, out_c).astype(np.float32)
    x, _ = m.int8_input([1, c] + spatial)
    inputs = [x, m.constant(w, 'int8', scales, 0),
              m.constant(r.integers(-20000, 20000, out_c), 'int32')]
    params = m.b.params('ConvParams', strides=strides, pads=pads, dilations=dilations,
                        group=group, activation=m.activation())
    return m.finish('Conv', inputs, [1, out_c] + out, params=params)


def _conv_transpose(m, r):
    rank, group = int(r.integers(1, 3)), int(r.choice([1, 1, 2]))
    c, out_g = group * int(r.integers(1, 3)), int(r.integers(1, 3))
    kernel, dilations, strides = _ints(r, 1, 4, rank), _ints(r, 1, 3, rank), _ints(r, 1, 4, rank)
    pads, spatial = _ints(r, -1, 3, 2 * rank), _ints(r, 1, 5, rank)
    out_pad = [int(r.integers(0, s)) for s in strides]
    out = [strides[a] * (spatial[a] - 1) + out_pad[a] + (kernel[a] - 1) * dilations[a] + 1
           - pads[a] - pads[rank + a] for a in range(rank)]
    if min(out) < 1:
        pads = [0] * (2 * rank)
        out = [strides[a] * (spatial[a] - 1) + out_pad[a] + (kernel[a] - 1) * dilations[a] + 1
               for a in range(rank)]
    per_channel = group == 1 and out_g > 1
    scale = r.uniform(0.001, 0.05, out_g).astype(np.float32) if per_channel else 0.01
    x, _ = m.int8_input([1, c] + spatial)
    inputs = [x, m.constant(r.integers(-127, 128, [c, out_g] + kernel), 'int8', scale,
                            1 if per_channel else -1),
              m.constant(r.integers(-5000, 5000, out_g * group), 'int32')]
    params = m.b.params('ConvParams', strides=strides, pads=pads, dilations=dilations,
                        group=group, outputPadding=out_pad, activation=m.activation())
    return m.finish('ConvTranspose', inputs, [1, out_g * group] + out, params=params)


def _pool(m, r, op):
    kernel, strides = _ints(r, 1, 4, 2), _ints(r, 1, 3, 2)
    dilations = [1, 1] if op == 'AveragePool' else _ints(r, 1, 3, 2)
    pads = [int(r.integers(0, k // 2 + 1)) for k in kernel] * 2
    spatial, ceil = _ints(r, 5, 9, 2), r.random() < 0.5
    if r.random() < 0.15:  # a window larger than the padded input: empty output (section 5.8)
        kernel[1], pads[1], pads[3] = 3, 0, 0
        spatial[1] = int(r.integers(1, 3))
    out = []
    for a in range(2):
        span = spatial[a] + pads[a] + pads[2 + a] - dilations[a] * (kernel[a] - 1) - 1
        if span < 0:
            out.append(0)
            continue
        o = (-(-span // strides[a]) if ceil else span // strides[a]) + 1
        out.append(o - ((o - 1) * strides[a] >= spatial[a] + pads[a]))  # ONNX's ceil rule
    x, q = m.int8_input([1, 2] + spatial)
    params = m.b.params('PoolParams', kernel=kernel, strides=strides, pads=pads,
                        dilations=dilations, countIncludePad=bool(r.random() < 0.5))
    return m.finish(op, [x], [1, 2] + out, q, params)


def _global_average_pool(m, r):
    x, q = m.int8_input([1, 3] + _ints(r, 1, 6, 2))
    return m.finish('GlobalAveragePool', [x], [1, 3, 1, 1], q)


def _gemm(m, r):
    rows, inner, n = _ints(r, 1, 6, 3)
    trans_a, trans_b = bool(r.random() < 0.5), bool(r.random() < 0.5)
    a, _ = m.int8_input([inner, rows] if trans_a else [rows, inner])
    b = r.integers(-127, 128, [n, inner] if trans_b else [inner, n])
    inputs = [a, m.constant(b, 'int8', r.uniform(0.001, 0.05, n).astype(np.float32),
                            0 if trans_b else 1)]
    if r.random() < 0.7:
        inputs.append(m.constant(r.integers(-9000, 9000, n), 'int32'))
    params = m.b.params('GemmParams', alpha=1.0, beta=1.0, transA=trans_a, transB=trans_b,
                        activation=m.activation())
    return m.finish('Gemm', inputs, [rows, n], params=params)


def _matmul(m, r):
    batch, rows, inner, n = _ints(r, 1, 5, 4)
    a, _ = m.int8_input([batch, rows, inner])
    b, _ = m.int8_input([inner, n])
    return m.finish('MatMul', [a, b], [batch, rows, n])


def _binary(m, r, op):
    shapes = [([2, 3, 4], [2, 3, 4]), ([2, 1, 4], [3, 1]), ([4], [2, 3, 4]), ([1], [5])]
    s1, s2 = shapes[int(r.integers(0, len(shapes)))]
    x1, x2 = m.int8_input(s1)[0], m.int8_input(s2)[0]
    params = m.b.params('ElementwiseParams', activation=m.activation())
    return m.finish(op, [x1, x2], list(np.broadcast_shapes(tuple(s1), tuple(s2))), params=params)


def _concat(m, r):
    axis, q_out, inputs, total = int(r.integers(0, 2)), m.quant(), [], 0
    for _ in range(int(r.integers(1, 4))):
        shape = [2, int(r.integers(1, 4))] if axis else [int(r.integers(1, 4)), 2]
        total += shape[axis]
        inputs.append(m.int8_input(shape, q_out if r.random() < 0.3 else None)[0])
    out = [2, total] if axis else [total, 2]
    return m.finish('Concat', inputs, out, q_out, m.b.params('AxisParams', axis=axis))


_TABLE_KINDS = {'Relu': 'relu', 'LeakyRelu': 'leaky_relu', 'Clip': 'clip', 'Sigmoid': 'sigmoid',
                'Tanh': 'tanh'}


def _table(m, r, op):
    kind = _TABLE_KINDS[op]
    fields = {'LeakyRelu': {'alpha': float(r.uniform(0.01, 0.5))},
              'Clip': m.clip_bounds()}.get(op, {})
    x, q_x = m.int8_input([1, 256])
    q_y = table_ops.fixed_output(kind) or m.quant()
    table = table_ops.lookup_table(kind, q_x, q_y, fields.get('alpha', 0.01),
                                   fields.get('min', 0.0), fields.get('max', 0.0))
    params = m.b.activation(kind, **fields) if fields else None
    table = m.constant(table, 'int8', q_y.scale, zero_point=q_y.zero_point)  # section 6
    return m.finish(op, [x, table], [1, 256], q_y, params)


def _softmax(m, r):
    shape = [2, int(r.integers(1, 40)), 3]
    x, q_x = m.int8_input(shape)
    table = m.constant(table_ops.exp_table(q_x.scale), 'int32')
    return m.finish('Softmax', [x, table], shape, table_ops.SOFTMAX_OUTPUT,
                    m.b.params('AxisParams', axis=int(r.integers(0, 3))))


def _resize_axis(r, length):
    """(scale, output length) along one axis: from a size (scale = out / in, as the compiler
    writes it) or from a scale (out = floor(in * scale), ONNX's rule; R = scale * in is then
    usually not the output length)."""
    if r.random() < 0.5:
        out = int(r.integers(1, 9))
        return float(np.float32(out) / np.float32(length)), out
    scale = np.float32(r.choice([r.uniform(0.4, 3.5), r.integers(2, 15) / 4]))
    return float(scale), max(1, int(np.float64(scale) * length))


def _resize(m, r):
    spatial = _ints(r, 1, 6, 2)
    scales, out = [1.0, 1.0], []
    for length in spatial:
        scale, length_out = _resize_axis(r, length)
        scales.append(scale)
        out.append(length_out)
    x, q = m.int8_input([1, 2] + spatial)
    params = m.b.params('ResizeParams', mode=int(r.integers(0, 2)),
                        coordinateTransform=int(r.integers(0, 4)),
                        nearestRounding=int(r.integers(0, 4)), scales=scales)
    return m.finish('Resize', [x], [1, 2] + out, q, params)


def _layout(m, r, op):
    x, q = m.int8_input([2, 3, 4])
    if op == 'Transpose':
        perm = [int(v) for v in r.permutation(3)]
        return m.finish(op, [x], [[2, 3, 4][i] for i in perm], q,
                        m.b.params('TransposeParams', perm=perm))
    if op == 'Reshape':
        return m.finish(op, [x], [4, 6], q)
    if op == 'Pad':
        return _pad(m, r, x, q)
    starts = [int(r.integers(0, n)) for n in (2, 3, 4)]
    steps = [int(r.choice([1, 2, -1])) for _ in range(3)]
    out = [len(range(s, n if st > 0 else -1, st)) for s, st, n in zip(starts, steps, (2, 3, 4))]
    return m.finish('Slice', [x], out, q, m.b.params('SliceParams', starts=starts, steps=steps))


def _pad(m, r, x, q):
    """Constant mode crops (sometimes a whole axis, sometimes crop and pad on one axis); reflect
    pads up to one less than the axis; edge pads past the axis. On the [2, 3, 4] input."""
    shape, mode = [2, 3, 4], int(r.integers(0, 3))
    if mode == 0:
        pads = _ints(r, -2, 3, 6)
        for a in range(3):  # crops that leave at least nothing
            while -min(pads[a], 0) - min(pads[3 + a], 0) > shape[a]:
                pads[a] += 1
    elif mode == 1:
        pads = [int(r.integers(0, shape[a % 3])) for a in range(6)]
    else:
        pads = _ints(r, 0, 6, 6)
    out = [shape[a] + pads[a] + pads[3 + a] for a in range(3)]
    return m.finish('Pad', [x], out, q, m.b.params('PadParams', pads=pads, mode=mode, value=0.0))


def _quantize_dequantize(m, r):
    """Quantize then Dequantize, on NaN, infinities, -0 and exact rounding ties."""
    q = m.quant()
    x = (r.standard_normal(64) * float(q.scale) * 100).astype(np.float32)
    x[:8] = [np.nan, np.inf, -np.inf, -0.0, 0.5 * q.scale, 1.5 * q.scale, -0.5 * q.scale,
             -2.5 * q.scale]
    f = m.b.tensor('input0', [64], 'float32')
    t = m.b.tensor('input0/int8', [64], 'int8', scale=q.scale, zero_point=q.zero_point)
    out = m.b.tensor('output', [64], 'float32')
    m.b.op('Quantize', [f], [t])
    m.b.op('Dequantize', [t], [out])
    return m.b.build([f], [out]), [x]


GENERATORS = {
    'Conv': _conv, 'ConvTranspose': _conv_transpose,
    'MaxPool': lambda m, r: _pool(m, r, 'MaxPool'),
    'AveragePool': lambda m, r: _pool(m, r, 'AveragePool'),
    'GlobalAveragePool': _global_average_pool, 'Gemm': _gemm, 'MatMul': _matmul,
    'Concat': _concat, 'Softmax': _softmax, 'Resize': _resize,
    'Quantize': _quantize_dequantize,
}
for _op in ('Add', 'Sub', 'Mul'):
    GENERATORS[_op] = lambda m, r, op=_op: _binary(m, r, op)
for _op in _TABLE_KINDS:
    GENERATORS[_op] = lambda m, r, op=_op: _table(m, r, op)
for _op in ('Transpose', 'Reshape', 'Pad', 'Slice'):
    GENERATORS[_op] = lambda m, r, op=_op: _layout(m, r, op)


def random_model(rng, op):
    """(vgl bytes, [float32 inputs]) of one random model exercising `op`."""
    return GENERATORS[op](_Model(rng), rng)
