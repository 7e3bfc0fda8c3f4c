#include "core/model_verifier.h"

#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "core/crc32.h"
#include "core/model_file.h"
#include "core/op_code.h"
#include "vigil/interpreter.h"
#include "vigil/tensor.h"

namespace vigil {
namespace {

// Largest tensor and arena the runtime accepts. Kernels count elements in int32 (Shape::dims), so
// every running product of a tensor's dimensions must fit int32, even where a later dimension is
// 0 and the tensor is empty (a pool's batch x channels, for one).
constexpr uint64_t kMaxTensorElements = INT32_MAX;
// The arena size must fit a 32-bit target's size_t: 2^32 would read there as 0 bytes, which any
// arena passes as large enough.
constexpr uint64_t kMaxArenaBytes = UINT32_MAX;

const char* TensorName(const schema::Tensor& t) {
  return t.name() ? t.name()->c_str() : "?";
}

const char* OpName(const schema::Operator& op) {
  return op.name() ? op.name()->c_str() : "?";
}

bool IsConstant(const schema::Tensor& t) {
  return t.buffer() >= 0;
}

Status CheckContainer(const uint8_t* file, size_t file_bytes, MessageBuffer& msg) {
  if (file == nullptr) {
    msg.Format("model is a null pointer");
    return Status::kInvalidArgument;
  }
  if (reinterpret_cast<uintptr_t>(file) % kModelAlignment != 0) {
    msg.Format("model must be loaded at a 16-byte aligned address");
    return Status::kInvalidArgument;
  }
  if (file_bytes < kModelHeaderBytes) {
    msg.Format("truncated model file: %zu bytes, the header alone is %zu", file_bytes,
               kModelHeaderBytes);
    return Status::kInvalidModel;
  }
  if (std::memcmp(file, kModelMagic, 4) != 0) {
    msg.Format("not a Vigil model file (bad magic)");
    return Status::kInvalidModel;
  }
  uint32_t header_version = ReadLe32(file + 4);
  if (header_version != kModelHeaderVersion) {
    msg.Format("unsupported model header version %" PRIu32 " (this runtime reads %" PRIu32 ")",
               header_version, kModelHeaderVersion);
    return Status::kUnsupportedModel;
  }
  uint32_t payload = ReadLe32(file + 8);
  if (payload != file_bytes - kModelHeaderBytes) {
    msg.Format("truncated or padded model file: header says %" PRIu32
               " payload bytes, file has %zu",
               payload, file_bytes - kModelHeaderBytes);
    return Status::kInvalidModel;
  }
  uint32_t crc = Crc32(file + kModelHeaderBytes, payload);
  if (crc != ReadLe32(file + 12)) {
    msg.Format("model file is corrupt: CRC-32 %08" PRIx32 " does not match the header's %08" PRIx32,
               crc, ReadLe32(file + 12));
    return Status::kInvalidModel;
  }
  return Status::kOk;
}

Status CheckQuantization(const schema::Tensor& t, MessageBuffer& msg) {
  const schema::Quantization* q = t.quantization();
  if (q == nullptr) {
    if (t.dtype() == schema::DType::Int8) {
      msg.Format("tensor '%s': int8 tensor without quantization parameters", TensorName(t));
      return Status::kInvalidModel;
    }
    return Status::kOk;
  }
  if (!q->scale() || !q->zero_point() || q->scale()->size() != q->zero_point()->size() ||
      q->scale()->size() == 0) {
    msg.Format("tensor '%s': quantization needs as many zero points as scales (at least one)",
               TensorName(t));
    return Status::kInvalidModel;
  }
  uint32_t count = q->scale()->size();
  int rank = static_cast<int>(TensorRank(t));
  if (q->axis() >= 0) {
    if (q->axis() >= rank || static_cast<uint32_t>(t.shape()->Get(q->axis())) != count) {
      msg.Format("tensor '%s': per-channel quantization axis %" PRId32 " does not match %" PRIu32
                 " scales",
                 TensorName(t), q->axis(), count);
      return Status::kInvalidModel;
    }
  } else if (q->axis() != -1 || count != 1) {
    msg.Format("tensor '%s': per-tensor quantization needs exactly one scale and axis -1",
               TensorName(t));
    return Status::kInvalidModel;
  }
  for (uint32_t i = 0; i < count; ++i) {
    float scale = q->scale()->Get(i);
    int32_t zero_point = q->zero_point()->Get(i);
    if (!(scale > 0.0f) || !std::isfinite(scale)) {
      msg.Format("tensor '%s': quantization scale %" PRIu32 " is not a positive finite number",
                 TensorName(t), i);
      return Status::kInvalidModel;
    }
    if (t.dtype() == schema::DType::Int8 && (zero_point < -128 || zero_point > 127)) {
      msg.Format("tensor '%s': int8 zero point %d is outside [-128, 127]", TensorName(t),
                 static_cast<int>(zero_point));
      return Status::kInvalidModel;
    }
  }
  return Status::kOk;
}

Status CheckTensors(const schema::Model& model, MessageBuffer& msg) {
  const auto* tensors = model.tensors();
  const auto* buffers = model.buffers();
  uint64_t data_bytes = model.constant_data() ? model.constant_data()->size() : 0;
  if (model.constant_data() &&
      reinterpret_cast<uintptr_t>(model.constant_data()->data()) % kModelAlignment != 0) {
    msg.Format("constant data is not 16-byte aligned");
    return Status::kInvalidModel;
  }
  // FlatBuffers checks a vector's length prefix for 4-byte alignment only; Buffer holds 64-bit
  // fields, which must not be read from a misaligned address.
  if (buffers && reinterpret_cast<uintptr_t>(buffers->Data()) % alignof(schema::Buffer) != 0) {
    msg.Format("the buffer table is not %zu-byte aligned", alignof(schema::Buffer));
    return Status::kInvalidModel;
  }
  if (model.arena_bytes() > kMaxArenaBytes) {
    msg.Format("memory plan: arena bytes %llu are over the runtime's limit of %llu",
               static_cast<unsigned long long>(model.arena_bytes()),
               static_cast<unsigned long long>(kMaxArenaBytes));
    return Status::kInvalidModel;
  }
  if (model.activation_bytes() > model.arena_bytes()) {
    msg.Format("memory plan: activation bytes %llu exceed arena bytes %llu",
               static_cast<unsigned long long>(model.activation_bytes()),
               static_cast<unsigned long long>(model.arena_bytes()));
    return Status::kInvalidModel;
  }
  for (uint32_t i = 0; i < tensors->size(); ++i) {
    const schema::Tensor& t = *tensors->Get(i);
    if (TensorRank(t) > static_cast<uint32_t>(kMaxRank)) {
      msg.Format("tensor %" PRIu32 " ('%s'): rank %" PRIu32 " is over %d", i, TensorName(t),
                 TensorRank(t), kMaxRank);
      return Status::kInvalidModel;
    }
    if (t.dtype() > schema::DType::MAX) {
      msg.Format("tensor '%s': unknown dtype %d", TensorName(t), static_cast<int>(t.dtype()));
      return Status::kUnsupportedModel;
    }
    uint64_t elements = 1;
    for (uint32_t k = 0; k < TensorRank(t); ++k) {
      const int32_t d = t.shape()->Get(k);
      if (d < 0) {
        msg.Format("tensor '%s': negative dimension %d", TensorName(t), static_cast<int>(d));
        return Status::kInvalidModel;
      }
      elements *= static_cast<uint64_t>(d);
      if (elements > kMaxTensorElements) {
        msg.Format("tensor '%s': over %llu elements (or leading dimensions that multiply past it)",
                   TensorName(t), static_cast<unsigned long long>(kMaxTensorElements));
        return Status::kInvalidModel;
      }
    }
    uint64_t bytes = TensorBytes(t);
    if (Status s = CheckQuantization(t, msg); s != Status::kOk) return s;
    if (IsConstant(t)) {
      if (t.arena_offset() != -1) {
        msg.Format("tensor '%s': a constant must not have an arena offset", TensorName(t));
        return Status::kInvalidModel;
      }
      if (!buffers || static_cast<uint32_t>(t.buffer()) >= buffers->size()) {
        msg.Format("tensor '%s': buffer index %d out of range", TensorName(t),
                   static_cast<int>(t.buffer()));
        return Status::kInvalidModel;
      }
      const schema::Buffer& b = *buffers->Get(static_cast<uint32_t>(t.buffer()));
      if (b.size() != bytes || b.offset() % kModelAlignment != 0 || b.offset() > data_bytes ||
          b.size() > data_bytes - b.offset()) {
        msg.Format(
            "tensor '%s': constant buffer [%llu, +%llu) is misaligned, outside the %llu "
            "bytes of constant data, or not the tensor's %llu bytes",
            TensorName(t), static_cast<unsigned long long>(b.offset()),
            static_cast<unsigned long long>(b.size()), static_cast<unsigned long long>(data_bytes),
            static_cast<unsigned long long>(bytes));
        return Status::kInvalidModel;
      }
    } else {
      if (t.buffer() != -1) {
        msg.Format("tensor '%s': negative buffer index", TensorName(t));
        return Status::kInvalidModel;
      }
      if (t.arena_offset() < 0 || static_cast<uint64_t>(t.arena_offset()) % 4 != 0 ||
          static_cast<uint64_t>(t.arena_offset()) > model.activation_bytes() ||
          bytes > model.activation_bytes() - static_cast<uint64_t>(t.arena_offset())) {
        msg.Format(
            "tensor '%s': arena offset %lld (+%llu bytes) is unaligned or outside the "
            "%llu planned activation bytes",
            TensorName(t), static_cast<long long>(t.arena_offset()),
            static_cast<unsigned long long>(bytes),
            static_cast<unsigned long long>(model.activation_bytes()));
        return Status::kInvalidModel;
      }
    }
  }
  return Status::kOk;
}

Status CheckTensorIndex(const flatbuffers::Vector<int32_t>* list, uint32_t tensor_count,
                        const char* what, MessageBuffer& msg) {
  if (list == nullptr || list->size() == 0) {
    msg.Format("model has no %s", what);
    return Status::kInvalidModel;
  }
  for (int32_t index : *list) {
    if (index < 0 || static_cast<uint32_t>(index) >= tensor_count) {
      msg.Format("%s refer to tensor %d of %" PRIu32, what, static_cast<int>(index), tensor_count);
      return Status::kInvalidModel;
    }
  }
  return Status::kOk;
}

Status CheckOperators(const schema::Model& model, MessageBuffer& msg) {
  const auto* ops = model.operators();
  uint32_t tensor_count = model.tensors()->size();
  for (uint32_t i = 0; i < ops->size(); ++i) {
    const schema::Operator& op = *ops->Get(i);
    if (op.opcode() >= kOpCount) {
      msg.Format("op %" PRIu32 " ('%s'): unknown op code %u (this runtime knows %d ops)", i,
                 OpName(op), op.opcode(), kOpCount);
      return Status::kUnsupportedModel;
    }
    const OpInfo& info = kOpInfo[op.opcode()];
    uint32_t inputs = op.inputs() ? op.inputs()->size() : 0;
    uint32_t outputs = op.outputs() ? op.outputs()->size() : 0;
    if (inputs < static_cast<uint32_t>(info.min_inputs) ||
        inputs > static_cast<uint32_t>(info.max_inputs) ||
        outputs != static_cast<uint32_t>(info.outputs)) {
      msg.Format("op %" PRIu32 " ('%s', %s): bad arity: %" PRIu32 " inputs and %" PRIu32
                 " outputs, expected %d..%d and %d",
                 i, OpName(op), info.name, inputs, outputs, info.min_inputs, info.max_inputs,
                 info.outputs);
      return Status::kInvalidModel;
    }
    if (op.params_type() != info.params) {
      msg.Format("op %" PRIu32 " ('%s', %s): parameters of type %s, expected %s", i, OpName(op),
                 info.name, schema::EnumNameOpParams(op.params_type()),
                 schema::EnumNameOpParams(info.params));
      return Status::kInvalidModel;
    }
    // FlatBuffers' structural check accepts a union whose type is set but whose table is absent;
    // kernels read their parameters without a null check, so the door checks it.
    if (info.params != schema::OpParams::NONE && op.params() == nullptr) {
      msg.Format("op %" PRIu32 " ('%s', %s): parameters of type %s are missing", i, OpName(op),
                 info.name, schema::EnumNameOpParams(info.params));
      return Status::kInvalidModel;
    }
    for (uint32_t k = 0; k < inputs; ++k) {
      int32_t index = op.inputs()->Get(k);
      bool optional_absent = index == -1 && k >= static_cast<uint32_t>(info.min_inputs);
      if (!optional_absent && (index < 0 || static_cast<uint32_t>(index) >= tensor_count)) {
        msg.Format("op %" PRIu32 " ('%s'): input %" PRIu32 " refers to tensor %d of %" PRIu32, i,
                   OpName(op), k, static_cast<int>(index), tensor_count);
        return Status::kInvalidModel;
      }
    }
    for (uint32_t k = 0; k < outputs; ++k) {
      int32_t index = op.outputs()->Get(k);
      if (index < 0 || static_cast<uint32_t>(index) >= tensor_count ||
          IsConstant(*model.tensors()->Get(static_cast<uint32_t>(index)))) {
        msg.Format("op %" PRIu32 " ('%s'): output %" PRIu32 " is tensor %d, not a planned tensor",
                   i, OpName(op), k, static_cast<int>(index));
        return Status::kInvalidModel;
      }
    }
  }
  return Status::kOk;
}

// Lifetimes in op indices: a graph input is live from -1, a produced tensor from its op; a tensor
// stays live through its last reader, and a graph output to the end.
struct Lifetime {
  int32_t first = INT32_MAX;
  int32_t last = INT32_MIN;
};

// Checks data flow (written once, before any read) and the plan (no two live tensors share bytes).
// Uses `lifetimes` as scratch of tensor_count entries, provided by the caller's stack or arena.
Status CheckDataFlowAndPlan(const schema::Model& model, Lifetime* lifetimes, MessageBuffer& msg) {
  const auto* tensors = model.tensors();
  const auto* ops = model.operators();
  const int32_t op_count = static_cast<int32_t>(ops->size());
  for (int32_t index : *model.inputs()) {
    if (IsConstant(*tensors->Get(static_cast<uint32_t>(index)))) {
      msg.Format("graph input '%s' is a constant",
                 TensorName(*tensors->Get(static_cast<uint32_t>(index))));
      return Status::kInvalidModel;
    }
    lifetimes[index].first = -1;
    lifetimes[index].last = -1;
  }
  for (int32_t i = 0; i < op_count; ++i) {
    const schema::Operator& op = *ops->Get(static_cast<uint32_t>(i));
    for (int32_t index : *op.inputs()) {
      if (index < 0) continue;
      const schema::Tensor& t = *tensors->Get(static_cast<uint32_t>(index));
      if (IsConstant(t)) continue;
      if (lifetimes[index].first == INT32_MAX) {
        msg.Format("op %d ('%s') reads tensor '%s' before any op writes it", static_cast<int>(i),
                   OpName(op), TensorName(t));
        return Status::kInvalidModel;
      }
      lifetimes[index].last = i;
    }
    for (int32_t index : *op.outputs()) {
      if (lifetimes[index].first != INT32_MAX) {
        msg.Format("op %d ('%s') writes tensor '%s', which is already written or a graph input",
                   static_cast<int>(i), OpName(op),
                   TensorName(*tensors->Get(static_cast<uint32_t>(index))));
        return Status::kInvalidModel;
      }
      lifetimes[index].first = i;
      lifetimes[index].last = i;
    }
  }
  for (int32_t index : *model.outputs()) {
    const schema::Tensor& t = *tensors->Get(static_cast<uint32_t>(index));
    if (IsConstant(t) || lifetimes[index].first == INT32_MAX) {
      msg.Format("graph output '%s' is never written", TensorName(t));
      return Status::kInvalidModel;
    }
    lifetimes[index].last = op_count;
  }
  // Pairwise check of tensors whose lifetimes overlap.
  const uint32_t count = tensors->size();
  for (uint32_t a = 0; a < count; ++a) {
    const schema::Tensor& ta = *tensors->Get(a);
    if (IsConstant(ta) || lifetimes[a].first == INT32_MAX) continue;
    uint64_t a_begin = static_cast<uint64_t>(ta.arena_offset()), a_end = a_begin + TensorBytes(ta);
    for (uint32_t b = a + 1; b < count; ++b) {
      const schema::Tensor& tb = *tensors->Get(b);
      if (IsConstant(tb) || lifetimes[b].first == INT32_MAX) continue;
      if (lifetimes[a].last < lifetimes[b].first || lifetimes[b].last < lifetimes[a].first)
        continue;
      uint64_t b_begin = static_cast<uint64_t>(tb.arena_offset()),
               b_end = b_begin + TensorBytes(tb);
      if (a_end <= a_begin || b_end <= b_begin || a_end <= b_begin || b_end <= a_begin) continue;
      // The one allowed overlap: op k writes its output exactly over its input 0, which dies at k.
      bool in_place = false;
      if (a_begin == b_begin && a_end == b_end) {
        uint32_t dying = lifetimes[a].last == lifetimes[b].first ? a : b;
        uint32_t born = dying == a ? b : a;
        int32_t k = lifetimes[born].first;
        if (k >= 0 && lifetimes[dying].last == k) {
          const schema::Operator& op = *ops->Get(static_cast<uint32_t>(k));
          in_place = kOpInfo[op.opcode()].in_place &&
                     op.inputs()->Get(0) == static_cast<int32_t>(dying) &&
                     op.outputs()->Get(0) == static_cast<int32_t>(born);
        }
      }
      if (!in_place) {
        msg.Format(
            "memory plan: tensors '%s' and '%s' are live at the same time and share arena "
            "bytes",
            TensorName(ta), TensorName(tb));
        return Status::kInvalidModel;
      }
    }
  }
  return Status::kOk;
}

}  // namespace

void MessageBuffer::Format(const char* format, ...) {
  if (text == nullptr || size == 0) return;
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, size, format, args);
  va_end(args);
}

uint64_t TensorBytes(const schema::Tensor& tensor) {
  uint64_t n = 1;
  for (uint32_t k = 0; k < TensorRank(tensor); ++k) {
    const int32_t d = tensor.shape()->Get(k);
    n *= static_cast<uint64_t>(d < 0 ? 0 : d);
  }
  return n * DTypeBytes(static_cast<DType>(tensor.dtype()));
}

Status VerifyModelFile(const uint8_t* file, size_t file_bytes, const schema::Model** out,
                       MessageBuffer msg) {
  if (Status s = CheckContainer(file, file_bytes, msg); s != Status::kOk) return s;
  const uint8_t* payload = file + kModelHeaderBytes;
  size_t payload_bytes = file_bytes - kModelHeaderBytes;
  // Depth and table limits bound the verifier's own work on hostile input.
  flatbuffers::Verifier verifier(payload, payload_bytes, /*max_depth=*/16, /*max_tables=*/200000);
  if (!schema::VerifyModelBuffer(verifier)) {
    msg.Format("model file is malformed: the FlatBuffer failed structural verification");
    return Status::kInvalidModel;
  }
  const schema::Model& model = *schema::GetModel(payload);
  if (model.format_version() != kModelFormatVersion) {
    msg.Format("unsupported model format version %" PRIu32 " (this runtime reads %" PRIu32 ")",
               model.format_version(), kModelFormatVersion);
    return Status::kUnsupportedModel;
  }
  if (!model.tensors() || !model.operators() || model.operators()->size() == 0) {
    msg.Format("model has no tensors or no operators");
    return Status::kInvalidModel;
  }
  if (model.tensors()->size() > VIGIL_MAX_TENSORS || model.operators()->size() > VIGIL_MAX_OPS) {
    msg.Format("model has %" PRIu32 " tensors and %" PRIu32
               " ops; this build allows %d and %d (VIGIL_MAX_TENSORS, "
               "VIGIL_MAX_OPS)",
               model.tensors()->size(), model.operators()->size(), VIGIL_MAX_TENSORS,
               VIGIL_MAX_OPS);
    return Status::kUnsupportedModel;
  }
  uint32_t tensor_count = model.tensors()->size();
  if (Status s = CheckTensorIndex(model.inputs(), tensor_count, "graph inputs", msg);
      s != Status::kOk)
    return s;
  if (Status s = CheckTensorIndex(model.outputs(), tensor_count, "graph outputs", msg);
      s != Status::kOk)
    return s;
  if (Status s = CheckTensors(model, msg); s != Status::kOk) return s;
  if (Status s = CheckOperators(model, msg); s != Status::kOk) return s;
  static_assert(sizeof(Lifetime) == 8);
  Lifetime lifetimes[VIGIL_MAX_TENSORS];
  if (Status s = CheckDataFlowAndPlan(model, lifetimes, msg); s != Status::kOk) return s;
  *out = &model;
  return Status::kOk;
}

}  // namespace vigil
