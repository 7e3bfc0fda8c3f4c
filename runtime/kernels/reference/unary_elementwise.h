// The shared body of the one-input, same-shape ops (Relu, LeakyRelu, Clip, Sigmoid, Tanh). They may
// run in place (output over input), which the loop allows: each element is read, then written.
// In int8 they all look their answer up in the 256-entry table the compiler stored as input 1
// (docs/int8_spec.md 5.11).
#pragma once

#include "kernels/kernel.h"

namespace vigil::kernels {

template <float (*kFunction)(const KernelContext&, float)>
Status EvalUnaryFloat(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  const float* xv = x.data_as<const float>();
  float* yv = y.data_as<float>();
  const int64_t n = y.shape.ElementCount();
  for (int64_t i = 0; i < n; ++i)
    yv[i] = kFunction(ctx, xv[i]);
  return Status::kOk;
}

inline Status PrepareUnaryShapes(KernelContext& ctx) {
  if (!(ctx.input(0).shape == ctx.output(0).shape)) {
    return ctx.Fail(Status::kInvalidModel, "input and output shapes differ");
  }
  if (ctx.input(0).dtype != ctx.output(0).dtype) {
    return ctx.Fail(Status::kInvalidModel, "input and output dtypes differ");
  }
  if (ctx.input(0).dtype == DType::kFloat32 && ctx.has_input(1)) {
    return ctx.Fail(Status::kInvalidModel, "a float activation takes no table");
  }
  return Status::kOk;
}

inline Status EvalTableInt8(KernelContext& ctx) {
  const int8_t* table = ctx.input(1).data_as<const int8_t>();
  const int8_t* x = ctx.input(0).data_as<const int8_t>();
  int8_t* y = ctx.output(0).data_as<int8_t>();
  const int64_t n = ctx.output(0).shape.ElementCount();
  for (int64_t i = 0; i < n; ++i)
    y[i] = table[x[i] + 128];
  return Status::kOk;
}

inline Status PrepareTableInt8(KernelContext& ctx) {
  if (!ctx.has_input(1) || ctx.input(1).dtype != DType::kInt8 ||
      ctx.input(1).shape.ElementCount() != 256) {
    return ctx.Fail(Status::kInvalidModel, "int8 activation needs its int8[256] table as input 1");
  }
  ctx.set_eval(EvalTableInt8);
  return Status::kOk;
}

template <float (*kFunction)(const KernelContext&, float)>
Status PrepareUnaryFloat(KernelContext& ctx) {
  if (Status s = PrepareUnaryShapes(ctx); s != Status::kOk) return s;
  if (ctx.input(0).dtype == DType::kInt8) return PrepareTableInt8(ctx);
  if (ctx.input(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalUnaryFloat<kFunction>);
  return Status::kOk;
}

}  // namespace vigil::kernels
