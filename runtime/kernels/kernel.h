// The contract between the interpreter and one op's kernel (TFLM's Prepare/Eval split).
//
// Prepare runs once, inside Interpreter::Init: it checks everything Eval will rely on (shapes,
// dtypes, quantization, parameter ranges) and returns a Status with a message on any mismatch; it
// picks the Eval function for the dtypes at hand (ctx.set_eval) and may keep precomputed data in
// the arena's persistent region (ctx.AllocatePersistent). Persistent data holds fixed-width
// integers and floats only, never pointers, so its size is the same on every target.
// Eval runs on every Invoke and trusts what Prepare proved.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/op_code.h"
#include "vigil/interpreter.h"
#include "vigil/tensor.h"

namespace vigil {

class KernelContext {
 public:
  KernelContext(Interpreter* interpreter, int op_index);

  const schema::Operator& op() const { return *op_; }
  OpCode opcode() const { return static_cast<OpCode>(op_->opcode()); }
  int input_count() const { return static_cast<int>(op_->inputs()->size()); }
  // Optional inputs may be absent (index -1 in the file).
  bool has_input(int i) const { return i < input_count() && op_->inputs()->Get(i) >= 0; }
  TensorView input(int i) const;
  TensorView output(int i) const;
  // The op's parameter table; Prepare may rely on it being of the type ops.def names (the
  // verifier checked), but not on any field's value.
  template <typename T>
  const T* params() const {
    return static_cast<const T*>(op_->params());
  }

  // Prepare only. 16-byte aligned; returns nullptr (and records an error) when the plan's
  // persistent region is exhausted.
  void* AllocatePersistent(size_t bytes);
  void set_eval(Status (*eval)(KernelContext&));
  void set_op_data(void* data);
  void* op_data() const;

  // Records "op 'NAME' (Conv): <message>" as the interpreter's error and returns `status`.
  Status Fail(Status status, const char* format, ...) __attribute__((format(printf, 3, 4)));

 private:
  Interpreter* interpreter_;
  int op_index_;
  const schema::Operator* op_;
};

using PrepareFn = Status (*)(KernelContext&);
using EvalFn = Status (*)(KernelContext&);

// The kernel of each op, indexed by OpCode (from ops.def; see kernel_table.cc).
PrepareFn FindPrepare(OpCode opcode);

namespace kernels {
#define VIGIL_OP(name, params, min_inputs, max_inputs, outputs, in_place) \
  Status Prepare##name(KernelContext& ctx);
#include "ops.def"
#undef VIGIL_OP
}  // namespace kernels

}  // namespace vigil
