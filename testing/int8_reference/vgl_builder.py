"""Writes small .vgl model files from Python, for this folder's tests and timing runs.

It packs the generated object API of runtime/schema/vgl.fbs and adds the 16-byte container header,
so the reader in model_file.py is exercised on files built without the C++ compiler. The files also
load in the C++ runtime: constants are 16-byte aligned and the memory plan is the simplest valid one
(every activation its own arena bytes, then `persistent_bytes` for the ops' own data).

    b = VglBuilder()
    x = b.tensor('x', [1, 4], 'float32')
    q = b.tensor('q', [1, 4], 'int8', scale=0.1, zero_point=3)
    b.op('Quantize', [x], [q])
    data = b.build(inputs=[x], outputs=[q])
"""
import struct
import zlib

import flatbuffers
import numpy as np

from model_file import default_ops_def, import_schema, read_op_table

_DTYPE_CODES = {'float32': 0, 'int8': 1, 'int32': 2}
_ITEM_BYTES = {0: 4, 1: 1, 2: 4}
_ALIGNMENT = 16


class _AlignedBytesBuilder(flatbuffers.Builder):
    """Places byte vectors (the model's constant_data, its only one) on 16-byte boundaries, as the
    schema's force_align asks; the Python runtime would otherwise align them to 1."""

    def CreateNumpyVector(self, x):
        if x.dtype != np.uint8:
            return super().CreateNumpyVector(x)
        self.StartVector(1, x.size, _ALIGNMENT)
        self.head = self.Head() - x.size
        self.Bytes[self.Head():self.Head() + x.size] = x.tobytes()
        self.vectorNumElems = x.size
        return self.EndVector()


class VglBuilder:
    def __init__(self, ops_def=None, bindings_dir=None):
        self.schema = import_schema(bindings_dir)
        ops = read_op_table(ops_def or default_ops_def())
        self.opcodes = {op.name: i for i, op in enumerate(ops)}
        self.tensors, self.operators, self.buffers = [], [], []
        self.constant_data = bytearray()

    def tensor(self, name, shape, dtype, scale=None, zero_point=0, axis=-1, data=None):
        """Adds a tensor and returns its index; `data` makes it a constant. Quantization is written
        only when `scale` is given (section 6 wants it on every int8 tensor, lookup tables with
        their op's output parameters; leaving it out builds a file that breaks that rule)."""
        s = self.schema
        t = s.Tensor.TensorT()
        t.name, t.shape, t.dtype = name, list(shape), _DTYPE_CODES[dtype]
        if scale is not None:
            t.quantization = s.Quantization.QuantizationT()
            scales = np.atleast_1d(np.asarray(scale, dtype=np.float32))
            t.quantization.scale = [float(v) for v in scales]
            t.quantization.zeroPoint = [int(v) for v in np.broadcast_to(zero_point, scales.shape)]
            t.quantization.axis = axis
        if data is not None:
            raw = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape)).tobytes()
            self.constant_data.extend(b'\0' * (-len(self.constant_data) % _ALIGNMENT))
            self.buffers.append((len(self.constant_data), len(raw)))
            self.constant_data.extend(raw)
            t.buffer = len(self.buffers) - 1
        self.tensors.append(t)
        return len(self.tensors) - 1

    def op(self, name, inputs, outputs, params=None, node_name=''):
        """Adds an operator; params is a generated *T object (its union member is its class)."""
        o = self.schema.Operator.OperatorT()
        o.opcode, o.name = self.opcodes[name], node_name
        o.inputs, o.outputs = list(inputs), list(outputs)
        if params is not None:
            o.paramsType = getattr(self.schema.OpParams.OpParams, type(params).__name__[:-1])
            o.params = params
        self.operators.append(o)

    def params(self, table, **fields):
        """A generated params object, e.g. params('ConvParams', strides=[1, 1], group=1)."""
        obj = getattr(getattr(self.schema, table), table + 'T')()
        for key, value in fields.items():
            setattr(obj, key, value)
        return obj

    def activation(self, kind='none', **fields):
        names = {'none': 0, 'relu': 1, 'clip': 2, 'leaky_relu': 3}
        return self.params('Activation', kind=names[kind], **fields)

    def _plan(self, model, persistent_bytes):
        """Every non-constant tensor gets its own 16-byte aligned arena bytes."""
        cursor = 0
        for t in self.tensors:
            if t.buffer < 0:
                t.arenaOffset = cursor
                size = int(np.prod(t.shape, dtype=np.int64)) * _ITEM_BYTES[t.dtype]
                cursor += -(-size // _ALIGNMENT) * _ALIGNMENT
        model.activationBytes, model.arenaBytes = cursor, cursor + persistent_bytes

    def build(self, inputs, outputs, persistent_bytes=1 << 18):
        """The whole file: header (magic, version, size, CRC-32) + FlatBuffer."""
        s = self.schema
        m = s.Model.ModelT()
        m.formatVersion, m.tensors, m.operators = 1, self.tensors, self.operators
        self._plan(m, persistent_bytes)
        m.inputs, m.outputs = list(inputs), list(outputs)
        m.buffers = []
        for offset, size in self.buffers:
            b = s.Buffer.BufferT()
            b.offset, b.size = offset, size
            m.buffers.append(b)
        m.constantData = np.frombuffer(bytes(self.constant_data), dtype=np.uint8)
        builder = _AlignedBytesBuilder(1024)
        builder.Finish(m.Pack(builder), file_identifier=b'VGL1')
        payload = bytes(builder.Output())
        return struct.pack('<4sIII', b'VGL1', 1, len(payload), zlib.crc32(payload)) + payload
