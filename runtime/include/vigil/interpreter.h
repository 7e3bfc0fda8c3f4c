// Interpreter: runs one verified Vigil model (.vgl) over a caller-provided arena.
//
// Contract
//  - The caller owns the model bytes and the arena; both must outlive the Interpreter and stay
//    unchanged (the model) or untouched by others (the arena). Both must be 16-byte aligned.
//  - Init verifies the whole model file first (structure, checksum, memory plan, op arity, shapes
//    and types); nothing else reads the file before that. Then every op's Prepare checks its
//    parameters and precomputes what Eval needs, in the arena's persistent region.
//  - After Init, nothing allocates: Invoke runs the ops in file order with no heap, no exceptions
//    and a bounded amount of work fixed by the model.
//  - Every failure returns a Status and leaves a message in error(), e.g.
//    "arena too small: need 12345 bytes".
//
// Usage
//   alignas(16) static uint8_t arena[kModelArenaBytes];
//   vigil::Interpreter interpreter;
//   if (interpreter.Init(model, model_size, arena, sizeof(arena)) != vigil::Status::kOk) {
//     log(interpreter.error());
//   }
//   float* in = interpreter.input(0).data_as<float>();   // fill the input
//   if (interpreter.Invoke() == vigil::Status::kOk) use(interpreter.output(0));
#pragma once

#include <cstddef>
#include <cstdint>

#include "vigil/config.h"
#include "vigil/status.h"
#include "vigil/tensor.h"

namespace vigil {

namespace schema {
struct Model;
}

// The model file's format version this runtime reads, and the runtime ABI version an update
// package must name to be installable.
constexpr uint32_t kModelFormatVersion = 1;
constexpr uint32_t kRuntimeAbiVersion = 1;

// Checks a model file without running it: header, checksum, FlatBuffers structure, then the
// semantic rules (tensor and buffer ranges, op arity and parameter types, memory plan). On failure
// writes a message of at most `message_bytes` into `message` (may be null).
Status VerifyModel(const uint8_t* model, size_t model_bytes, char* message, size_t message_bytes);

// Reads the arena size a verified model needs. Verifies the model first.
Status ReadArenaBytes(const uint8_t* model, size_t model_bytes, size_t* arena_bytes);

class Interpreter {
 public:
  Interpreter() = default;
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  Status Init(const uint8_t* model, size_t model_bytes, uint8_t* arena, size_t arena_bytes);
  Status Invoke();

  // For the compiler's memory planner: like Init, but the ops' persistent data may use all of a
  // caller-sized arena; afterwards arena_bytes_required() is what the final plan must reserve.
  Status InitForPlanning(const uint8_t* model, size_t model_bytes, uint8_t* arena,
                         size_t arena_bytes);

  int input_count() const;
  int output_count() const;
  // Views of graph inputs and outputs; an empty view (data == nullptr) before Init or out of range.
  TensorView input(int index) const;
  TensorView output(int index) const;
  const char* input_name(int index) const;
  const char* output_name(int index) const;

  // Arena bytes the model's plan needs (activations + per-op persistent data). Set by Init even
  // when Init fails with kArenaTooSmall.
  size_t arena_bytes_required() const { return arena_required_; }
  // Bytes of the arena's persistent region that the ops' Prepare used.
  size_t persistent_bytes_used() const { return persistent_used_; }
  int op_count() const;
  const schema::Model* model() const { return model_; }

  // The message of the last failure ("" when none).
  const char* error() const { return error_; }

  // Runs ops [first, last) only; used by tools that inspect intermediate tensors. Invoke() is
  // InvokeRange(0, op_count()).
  Status InvokeRange(int first, int last);
  // View of any tensor by its index in the model file.
  TensorView tensor(int index) const;
  int tensor_count() const;

 private:
  friend class KernelContext;
  Status InitImpl(const uint8_t* model, size_t model_bytes, uint8_t* arena, size_t arena_bytes,
                  bool planning);
  Status Fail(Status status, const char* format, ...) __attribute__((format(printf, 3, 4)));
  TensorView MakeView(int tensor_index) const;
  void* AllocatePersistent(size_t bytes);
  Status PrepareOps();

  using EvalFn = Status (*)(class KernelContext&);
  struct OpState {
    EvalFn eval = nullptr;
    void* op_data = nullptr;
  };

  const schema::Model* model_ = nullptr;
  uint8_t* arena_ = nullptr;
  size_t arena_bytes_ = 0;
  size_t arena_required_ = 0;
  size_t persistent_begin_ = 0;
  size_t persistent_used_ = 0;
  bool ready_ = false;
  void* tensor_data_[VIGIL_MAX_TENSORS] = {};
  OpState ops_[VIGIL_MAX_OPS] = {};
  char error_[VIGIL_ERROR_MESSAGE_BYTES] = {};
};

}  // namespace vigil
