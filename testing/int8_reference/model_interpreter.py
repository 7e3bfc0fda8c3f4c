"""Executes a decoded int8 .vgl model op by op with the reference arithmetic of docs/int8_spec.md.

Golden models are int8 between their Quantize and Dequantize ops: any other op that reads or writes
a float32 tensor (a "float island") is an error here, as is any op the spec gives no int8 form.
Tables the compiler stored (Softmax's exp table, the activations' lookup tables) are rebuilt from
the spec and must match, so a golden output never just echoes the compiler's table. The model-file
rules of section 6 (quantization on every int8 tensor, axis -1 for one scale, non-negative axes) are
checked before anything runs.

    outputs, values = run(model, [x])   # values: every tensor index -> its array
"""
import numpy as np

import conv_ops
import elementwise_ops
import layout_ops
import pool_ops
import resize_op
import table_ops
from int8_reference import FusedActivation, Int8SpecError, dequantize, quantize
from model_file import ModelError

_ACTIVATION_KINDS = {0: 'none', 1: 'relu', 2: 'clip', 3: 'leaky_relu'}
_RESIZE_MODES = {0: 'nearest', 1: 'linear'}
_TRANSFORMS = {0: 'half_pixel', 1: 'asymmetric', 2: 'align_corners', 3: 'pytorch_half_pixel'}
_ROUNDINGS = {0: 'round_prefer_floor', 1: 'round_prefer_ceil', 2: 'floor', 3: 'ceil'}
_PAD_MODES = {0: 'constant', 1: 'reflect', 2: 'edge'}
_TABLE_OPS = {'Relu': 'relu', 'LeakyRelu': 'leaky_relu', 'Clip': 'clip', 'Sigmoid': 'sigmoid',
              'Tanh': 'tanh'}


def _ints(values):
    return [] if values is None else [int(v) for v in values]


def _required(op, p):
    if p is None:
        raise ModelError(f'{op.op.name} needs its {op.op.params}')
    return p


def _activation(params):
    """The fused Activation of an op's params (absent -> none)."""
    a = getattr(params, 'activation', None) if params is not None else None
    if a is None:
        return FusedActivation()
    return FusedActivation(_ACTIVATION_KINDS.get(a.kind, f'#{a.kind}'), a.min, a.max, a.alpha)


class _Execution:
    """The tensor values of one run, and the handlers that compute one op each."""

    def __init__(self, model):
        self.model = model
        self.values = {t.index: t.constant for t in model.tensors if t.constant is not None}

    def value(self, op, slot):
        index = op.inputs[slot] if slot < len(op.inputs) else -1
        if index == -1:
            return None
        if index not in self.values:
            raise ModelError(f'tensor {index} ({self.model.tensors[index].name}) is read before '
                             'it is written')
        return self.values[index]

    def quant(self, index):
        tensor = self.model.tensors[index]
        if tensor.quant is None:
            raise ModelError(f'tensor {index} ({tensor.name}) is {tensor.dtype} without '
                             'quantization')
        return tensor.quant

    def out_shape(self, op):
        return self.model.tensors[op.outputs[0]].shape

    def check_dtypes(self, op):
        """Quantize: float32 -> int8; Dequantize: int8 -> float32; every other op: no float32."""
        dtypes = [self.model.tensors[i].dtype for i in op.inputs if i != -1]
        out = self.model.tensors[op.outputs[0]].dtype
        expected = {'Quantize': (np.float32, np.int8), 'Dequantize': (np.int8, np.float32)}
        if op.op.name in expected:
            if dtypes[0] != expected[op.op.name][0] or out != expected[op.op.name][1]:
                raise ModelError(f'{op.op.name} must map {expected[op.op.name][0].__name__} to '
                                 f'{expected[op.op.name][1].__name__}')
        elif out != np.int8 or dtypes[0] != np.int8 or np.float32 in dtypes:
            raise ModelError('float island: golden models are int8 between Quantize and Dequantize '
                             f'(inputs {[str(d) for d in dtypes]}, output {out})')

    def same_quant(self, op):
        """Pass-through ops: input and output share (s, zp)."""
        q_in, q_out = self.quant(op.inputs[0]), self.quant(op.outputs[0])
        if np.float32(q_in.scale) != np.float32(q_out.scale) or q_in.zero_point != q_out.zero_point:
            raise Int8SpecError(f'{op.op.name} needs the same (s, zp) in and out; got '
                                f'({q_in.scale}, {q_in.zero_point}) -> '
                                f'({q_out.scale}, {q_out.zero_point})')
        return q_in

    # ---- handlers: each returns the op's output array ----

    def Quantize(self, op, p):
        return quantize(self.value(op, 0), self.quant(op.outputs[0]))

    def Dequantize(self, op, p):
        return dequantize(self.value(op, 0), self.quant(op.inputs[0]))

    def Conv(self, op, p):
        group = p.group if p is not None else 1
        geometry = [_ints(getattr(p, f, None)) for f in ('strides', 'pads', 'dilations')]
        return conv_ops.conv(self.value(op, 0), self.quant(op.inputs[0]), self.value(op, 1),
                             self.quant(op.inputs[1]), self.value(op, 2), self.quant(op.outputs[0]),
                             *geometry, group, _activation(p), self.out_shape(op)[2:])

    def ConvTranspose(self, op, p):
        group = p.group if p is not None else 1
        geometry = [_ints(getattr(p, f, None))
                    for f in ('strides', 'pads', 'dilations', 'outputPadding')]
        return conv_ops.conv_transpose(
            self.value(op, 0), self.quant(op.inputs[0]), self.value(op, 1),
            self.quant(op.inputs[1]), self.value(op, 2), self.quant(op.outputs[0]), *geometry,
            group, _activation(p), list(self.out_shape(op)[2:]))

    def Gemm(self, op, p):
        return conv_ops.gemm(self.value(op, 0), self.quant(op.inputs[0]), self.value(op, 1),
                             self.quant(op.inputs[1]), self.value(op, 2), self.quant(op.outputs[0]),
                             bool(p and p.transA), bool(p and p.transB), _activation(p),
                             p.alpha if p is not None else 1.0, p.beta if p is not None else 1.0)

    def MatMul(self, op, p):
        return conv_ops.matmul(self.value(op, 0), self.quant(op.inputs[0]), self.value(op, 1),
                               self.quant(op.inputs[1]), self.quant(op.outputs[0]))

    def _pool_geometry(self, op, p):
        _required(op, p)
        self.same_quant(op)
        return ([_ints(getattr(p, f)) for f in ('kernel', 'strides', 'pads', 'dilations')] +
                [list(self.out_shape(op)[2:])])

    def MaxPool(self, op, p):
        kernel, strides, pads, dilations, out = self._pool_geometry(op, p)
        return pool_ops.max_pool(self.value(op, 0), kernel, strides, pads, dilations, out)

    def AveragePool(self, op, p):
        kernel, strides, pads, dilations, out = self._pool_geometry(op, p)
        return pool_ops.average_pool(self.value(op, 0), self.quant(op.inputs[0]).zero_point, kernel,
                                     strides, pads, dilations, bool(p.countIncludePad), out)

    def GlobalAveragePool(self, op, p):
        self.same_quant(op)
        return pool_ops.global_average_pool(self.value(op, 0))

    def _binary(self, op):
        return (self.value(op, 0), self.quant(op.inputs[0]), self.value(op, 1),
                self.quant(op.inputs[1]), self.quant(op.outputs[0]))

    def Add(self, op, p):
        return elementwise_ops.add_sub(*self._binary(op), _activation(p))

    def Sub(self, op, p):
        return elementwise_ops.add_sub(*self._binary(op), _activation(p), subtract=True)

    def Mul(self, op, p):
        return elementwise_ops.mul(*self._binary(op), _activation(p))

    def Concat(self, op, p):
        inputs = [self.value(op, i) for i in range(len(op.inputs))]
        return elementwise_ops.concat(inputs, [self.quant(i) for i in op.inputs],
                                      self.quant(op.outputs[0]),
                                      _axis(p, inputs[0].ndim, 'Concat'))

    def table_activation(self, op, p):
        kind = _TABLE_OPS[op.op.name]
        table = self.value(op, 1)
        if table is None:
            raise Int8SpecError(f'int8 {op.op.name} needs its lookup table as input 1 '
                                '(section 5.11)')
        q_x, q_y = self.quant(op.inputs[0]), self.quant(op.outputs[0])
        self._check_fixed_output(kind, q_y)
        _check_table_quant(op, self.quant(op.inputs[1]), q_y)
        expected = table_ops.lookup_table(kind, q_x, q_y, getattr(p, 'alpha', 0.01),
                                          getattr(p, 'min', 0.0), getattr(p, 'max', 0.0))
        _check_table(op, table, expected)
        return table_ops.apply_table(self.value(op, 0), table)

    def Softmax(self, op, p):
        table = self.value(op, 1)
        if table is None:
            raise Int8SpecError('int8 Softmax needs its exp table as input 1 (section 5.10)')
        self._check_fixed_output('softmax', self.quant(op.outputs[0]))
        _check_table(op, table, table_ops.exp_table(self.quant(op.inputs[0]).scale))
        x = self.value(op, 0)
        return table_ops.softmax(x, table, _axis(p, x.ndim, 'Softmax'))

    def _check_fixed_output(self, kind, q_y):
        fixed = table_ops.fixed_output(kind)
        if fixed is None:
            return
        if np.float32(q_y.scale) != fixed.scale or q_y.zero_point != fixed.zero_point:
            raise Int8SpecError(f'{kind} output must be quantized ({fixed.scale}, '
                                f'{fixed.zero_point}), got ({q_y.scale}, {q_y.zero_point})')

    def Resize(self, op, p):
        q = self.same_quant(op)
        p = _required(op, p)
        scales = [float(s) for s in (p.scales if p.scales is not None else [])]
        return resize_op.resize(self.value(op, 0), q.zero_point, list(self.out_shape(op)), scales,
                                _RESIZE_MODES.get(p.mode, p.mode),
                                _TRANSFORMS.get(p.coordinateTransform, p.coordinateTransform),
                                _ROUNDINGS.get(p.nearestRounding, p.nearestRounding))

    def Reshape(self, op, p):
        self.same_quant(op)
        return layout_ops.reshape(self.value(op, 0), self.out_shape(op))

    def Transpose(self, op, p):
        self.same_quant(op)
        return layout_ops.transpose(self.value(op, 0), _ints(p.perm if p is not None else None))

    def Slice(self, op, p):
        self.same_quant(op)
        p = _required(op, p)
        return layout_ops.slice_(self.value(op, 0), _ints(p.starts), _ints(p.steps),
                                 self.out_shape(op))

    def Pad(self, op, p):
        q = self.same_quant(op)
        p = _required(op, p)
        return layout_ops.pad(self.value(op, 0), q.zero_point, _ints(p.pads),
                              _PAD_MODES.get(p.mode, p.mode), p.value)


def check_file_rules(model):
    """Section 6's tensor rules: every int8 tensor carries quantization; one scale is per tensor
    with axis -1; several scales run along a non-negative axis holding one scale per element."""
    for t in model.tensors:
        where = f'tensor {t.index} ({t.name or "unnamed"})'
        if t.quant is None:
            if t.dtype == np.int8:
                raise ModelError(f'{where} is int8 without quantization (section 6)')
            continue
        scales = np.atleast_1d(t.quant.scale)
        if scales.size == 1 and t.quant.axis != -1:
            raise ModelError(f'{where} has one scale with axis {t.quant.axis}; section 6 says one '
                             'scale means per tensor, with axis -1')
        if scales.size > 1 and not (0 <= t.quant.axis < len(t.shape) and
                                    t.shape[t.quant.axis] == scales.size):
            raise ModelError(f'{where} {list(t.shape)} has {scales.size} scales along axis '
                             f'{t.quant.axis}: not one per element of a non-negative axis')


def _axis(p, rank, what):
    """An axis from the op's AxisParams: section 6 makes it non-negative (the compiler normalises
    ONNX's negative axes), and it names an axis of the input."""
    if p is None:
        raise ModelError(f'{what} needs its AxisParams (the axis has no default in the spec)')
    if not 0 <= p.axis < rank:
        raise Int8SpecError(f'{what} axis {p.axis} is not one of the {rank} axes numbered from 0 '
                            '(section 6: axes in op parameters are non-negative)')
    return p.axis


def _check_table(op, stored, expected):
    if stored.dtype != expected.dtype or stored.shape != expected.shape:
        raise Int8SpecError(f'{op.op.name} table is {stored.dtype} {list(stored.shape)}, the spec '
                            f'says {expected.dtype} {list(expected.shape)}')
    differ = np.flatnonzero(stored != expected)
    if differ.size:
        k = differ[0]
        raise Int8SpecError(f'{op.op.name} table differs from the spec at {differ.size} entries, '
                            f'first at index {k}: stored {stored[k]}, spec {expected[k]}')


def _check_table_quant(op, q_table, q_y):
    """Section 6: a 5.11 lookup table carries its op's output parameters (informative only)."""
    if (np.atleast_1d(q_table.scale).size != 1 or np.float32(q_table.scale) != q_y.scale or
            q_table.zero_point != q_y.zero_point):
        raise Int8SpecError(f'{op.op.name} table is quantized ({q_table.scale}, '
                            f'{q_table.zero_point}); section 6 says it carries the output\'s '
                            f'({q_y.scale}, {q_y.zero_point})')


def _handler(execution, op):
    if op.op.name in _TABLE_OPS:
        return execution.table_activation
    handler = getattr(_Execution, op.op.name, None)
    if handler is None:
        raise Int8SpecError(f'op {op.op.name} has no int8 definition in docs/int8_spec.md')
    return handler.__get__(execution)


def _check_output(tensor, y):
    if tuple(y.shape) != tuple(tensor.shape) or y.dtype != tensor.dtype:
        raise ModelError(f'computed {y.dtype} {list(y.shape)}, the model declares {tensor.dtype} '
                         f'{list(tensor.shape)}')


def _feed(model, inputs):
    if len(inputs) != len(model.inputs):
        raise ModelError(f'the model takes {len(model.inputs)} inputs, got {len(inputs)}')
    feeds = {}
    for position, (index, x) in enumerate(zip(model.inputs, inputs)):
        tensor = model.tensors[index]
        if x.dtype != tensor.dtype or tuple(x.shape) != tuple(tensor.shape):
            raise ModelError(f'input {position} ({tensor.name}) must be {tensor.dtype} '
                             f'{list(tensor.shape)}, got {x.dtype} {list(x.shape)}')
        feeds[index] = np.ascontiguousarray(x)
    return feeds


def _where(op):
    return f'operator {op.index} ({op.name or "unnamed"}, {op.op.name})'


def run(model, inputs):
    """Runs every op in order. Returns (graph outputs, every tensor's value by index)."""
    check_file_rules(model)
    execution = _Execution(model)
    execution.values.update(_feed(model, inputs))
    for op in model.operators:
        try:
            execution.check_dtypes(op)
            for slot in range(op.op.min_inputs):
                if op.inputs[slot] == -1:
                    raise ModelError(f'required input {slot} is absent')
            y = _handler(execution, op)(op, op.params)
            _check_output(model.tensors[op.outputs[0]], y)
        except (Int8SpecError, ModelError) as error:
            raise type(error)(f'{_where(op)}: {error}') from None
        except (ValueError, IndexError, TypeError, AttributeError, MemoryError) as error:
            # Shapes or parameters the checks above let through (a damaged file): still one line.
            raise ModelError(f'{_where(op)}: cannot be evaluated ({type(error).__name__}: '
                             f'{error})') from None
        execution.values[op.outputs[0]] = y
    missing = [i for i in model.outputs if i not in execution.values]
    if missing:
        raise ModelError(f'graph outputs {missing} are never written')
    return [execution.values[i] for i in model.outputs], execution.values
