#include "vigil/interpreter.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "core/model_file.h"
#include "core/model_verifier.h"
#include "kernels/kernel.h"

namespace vigil {
namespace {

size_t AlignUp(size_t value, size_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace

Status VerifyModel(const uint8_t* model, size_t model_bytes, char* message, size_t message_bytes) {
  const schema::Model* root = nullptr;
  return VerifyModelFile(model, model_bytes, &root, MessageBuffer{message, message_bytes});
}

Status ReadArenaBytes(const uint8_t* model, size_t model_bytes, size_t* arena_bytes) {
  const schema::Model* root = nullptr;
  Status s = VerifyModelFile(model, model_bytes, &root, MessageBuffer{nullptr, 0});
  if (s == Status::kOk) *arena_bytes = static_cast<size_t>(root->arena_bytes());
  return s;
}

Status Interpreter::Fail(Status status, const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(error_, sizeof(error_), format, args);
  va_end(args);
  return status;
}

Status Interpreter::Init(const uint8_t* model, size_t model_bytes, uint8_t* arena,
                         size_t arena_bytes) {
  return InitImpl(model, model_bytes, arena, arena_bytes, /*planning=*/false);
}

Status Interpreter::InitForPlanning(const uint8_t* model, size_t model_bytes, uint8_t* arena,
                                    size_t arena_bytes) {
  return InitImpl(model, model_bytes, arena, arena_bytes, /*planning=*/true);
}

Status Interpreter::InitImpl(const uint8_t* model, size_t model_bytes, uint8_t* arena,
                             size_t arena_bytes, bool planning) {
  ready_ = false;
  model_ = nullptr;
  error_[0] = '\0';
  persistent_used_ = 0;
  arena_required_ = 0;
  const schema::Model* root = nullptr;
  if (Status s = VerifyModelFile(model, model_bytes, &root, MessageBuffer{error_, sizeof(error_)});
      s != Status::kOk) {
    return s;
  }
  arena_required_ = static_cast<size_t>(root->arena_bytes());
  if (arena == nullptr || reinterpret_cast<uintptr_t>(arena) % kModelAlignment != 0) {
    return Fail(Status::kInvalidArgument, "arena must be a non-null, 16-byte aligned pointer");
  }
  size_t need = planning ? static_cast<size_t>(root->activation_bytes()) : arena_required_;
  if (arena_bytes < need) {
    return Fail(Status::kArenaTooSmall, "arena too small: need %zu bytes, have %zu", need,
                arena_bytes);
  }
  model_ = root;
  arena_ = arena;
  // Outside planning, the ops' persistent data must fit the region the plan reserved for it.
  arena_bytes_ = planning ? arena_bytes : arena_required_;
  persistent_begin_ = AlignUp(static_cast<size_t>(root->activation_bytes()), kModelAlignment);

  const auto* tensors = root->tensors();
  const uint8_t* constants = root->constant_data() ? root->constant_data()->data() : nullptr;
  for (uint32_t i = 0; i < tensors->size(); ++i) {
    const schema::Tensor& t = *tensors->Get(i);
    if (t.buffer() >= 0) {
      const schema::Buffer& b = *root->buffers()->Get(static_cast<uint32_t>(t.buffer()));
      // Constants are never written; the cast only lets one view type serve both kinds.
      tensor_data_[i] = const_cast<uint8_t*>(constants + b.offset());
    } else {
      tensor_data_[i] = arena_ + t.arena_offset();
    }
  }
  if (Status s = PrepareOps(); s != Status::kOk) {
    model_ = nullptr;
    return s;
  }
  if (planning) {
    arena_required_ = persistent_used_ == 0 ? static_cast<size_t>(root->activation_bytes())
                                            : persistent_begin_ + persistent_used_;
  }
  ready_ = true;
  return Status::kOk;
}

Status Interpreter::PrepareOps() {
  const auto* ops = model_->operators();
  for (uint32_t i = 0; i < ops->size(); ++i) {
    KernelContext ctx(this, static_cast<int>(i));
    PrepareFn prepare = FindPrepare(ctx.opcode());
    if (Status s = prepare(ctx); s != Status::kOk) return s;
    if (ops_[i].eval == nullptr) {
      return Fail(Status::kUnsupportedModel, "op %" PRIu32 " (%s): kernel chose no Eval", i,
                  kOpInfo[ops->Get(i)->opcode()].name);
    }
  }
  return Status::kOk;
}

void* Interpreter::AllocatePersistent(size_t bytes) {
  size_t begin = persistent_begin_ + AlignUp(persistent_used_, kModelAlignment);
  if (begin > arena_bytes_ || bytes > arena_bytes_ - begin) return nullptr;
  persistent_used_ = begin + bytes - persistent_begin_;
  return arena_ + begin;
}

Status Interpreter::Invoke() {
  return InvokeRange(0, op_count());
}

Status Interpreter::InvokeRange(int first, int last) {
  if (!ready_) return Fail(Status::kNotReady, "Invoke before a successful Init");
  if (first < 0 || last > op_count() || first > last) {
    return Fail(Status::kInvalidArgument, "op range [%d, %d) outside [0, %d)", first, last,
                op_count());
  }
  for (int i = first; i < last; ++i) {
    KernelContext ctx(this, i);
    if (Status s = ops_[i].eval(ctx); s != Status::kOk) return s;
  }
  return Status::kOk;
}

int Interpreter::op_count() const {
  return model_ ? static_cast<int>(model_->operators()->size()) : 0;
}
int Interpreter::tensor_count() const {
  return model_ ? static_cast<int>(model_->tensors()->size()) : 0;
}
int Interpreter::input_count() const {
  return model_ ? static_cast<int>(model_->inputs()->size()) : 0;
}
int Interpreter::output_count() const {
  return model_ ? static_cast<int>(model_->outputs()->size()) : 0;
}

TensorView Interpreter::MakeView(int index) const {
  TensorView view;
  if (model_ == nullptr || index < 0 || index >= tensor_count()) return view;
  const schema::Tensor& t = *model_->tensors()->Get(static_cast<uint32_t>(index));
  view.dtype = static_cast<DType>(t.dtype());
  view.shape.rank = static_cast<int32_t>(TensorRank(t));
  for (int32_t d = 0; d < view.shape.rank; ++d)
    view.shape.dims[d] = t.shape()->Get(static_cast<uint32_t>(d));
  if (const schema::Quantization* q = t.quantization()) {
    view.quant.scale = q->scale()->data();
    view.quant.zero_point = q->zero_point()->data();
    view.quant.count = static_cast<int32_t>(q->scale()->size());
    view.quant.axis = q->axis();
  }
  view.data = tensor_data_[index];
  return view;
}

TensorView Interpreter::tensor(int index) const {
  return MakeView(index);
}

TensorView Interpreter::input(int index) const {
  if (model_ == nullptr || index < 0 || index >= input_count()) return {};
  return MakeView(model_->inputs()->Get(static_cast<uint32_t>(index)));
}

TensorView Interpreter::output(int index) const {
  if (model_ == nullptr || index < 0 || index >= output_count()) return {};
  return MakeView(model_->outputs()->Get(static_cast<uint32_t>(index)));
}

const char* Interpreter::input_name(int index) const {
  if (model_ == nullptr || index < 0 || index >= input_count()) return "";
  const auto* name =
      model_->tensors()
          ->Get(static_cast<uint32_t>(model_->inputs()->Get(static_cast<uint32_t>(index))))
          ->name();
  return name ? name->c_str() : "";
}

const char* Interpreter::output_name(int index) const {
  if (model_ == nullptr || index < 0 || index >= output_count()) return "";
  const auto* name =
      model_->tensors()
          ->Get(static_cast<uint32_t>(model_->outputs()->Get(static_cast<uint32_t>(index))))
          ->name();
  return name ? name->c_str() : "";
}

// ---- KernelContext ----

KernelContext::KernelContext(Interpreter* interpreter, int op_index)
    : interpreter_(interpreter),
      op_index_(op_index),
      op_(interpreter->model_->operators()->Get(static_cast<uint32_t>(op_index))) {}

TensorView KernelContext::input(int i) const {
  return interpreter_->MakeView(has_input(i) ? op_->inputs()->Get(static_cast<uint32_t>(i)) : -1);
}

TensorView KernelContext::output(int i) const {
  return interpreter_->MakeView(op_->outputs()->Get(static_cast<uint32_t>(i)));
}

void* KernelContext::AllocatePersistent(size_t bytes) {
  void* p = interpreter_->AllocatePersistent(bytes);
  if (p == nullptr) {
    (void)Fail(Status::kInvalidModel,
               "the plan's persistent region is too small (%zu more bytes needed)", bytes);
  }
  return p;
}

void KernelContext::set_eval(EvalFn eval) {
  interpreter_->ops_[op_index_].eval = eval;
}
void KernelContext::set_op_data(void* data) {
  interpreter_->ops_[op_index_].op_data = data;
}
void* KernelContext::op_data() const {
  return interpreter_->ops_[op_index_].op_data;
}

Status KernelContext::Fail(Status status, const char* format, ...) {
  char detail[VIGIL_ERROR_MESSAGE_BYTES];
  va_list args;
  va_start(args, format);
  std::vsnprintf(detail, sizeof(detail), format, args);
  va_end(args);
  return interpreter_->Fail(status, "op %d '%s' (%s): %s", op_index_,
                            op_->name() ? op_->name()->c_str() : "", kOpInfo[op_->opcode()].name,
                            detail);
}

}  // namespace vigil
