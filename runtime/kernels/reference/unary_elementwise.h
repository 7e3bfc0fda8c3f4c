// The shared body of the one-input, same-shape ops (Relu, LeakyRelu, Clip, Sigmoid, Tanh). They may
// run in place (output over input), which the loop allows: each element is read, then written.
#pragma once

#include "kernels/kernel.h"

namespace vigil::kernels {

template <float (*kFunction)(const KernelContext&, float)>
Status EvalUnaryFloat(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  const float* xv = x.data_as<const float>();
  float* yv = y.data_as<float>();
  const int64_t n = y.shape.ElementCount();
  for (int64_t i = 0; i < n; ++i) yv[i] = kFunction(ctx, xv[i]);
  return Status::kOk;
}

inline Status PrepareUnaryShapes(KernelContext& ctx) {
  if (!(ctx.input(0).shape == ctx.output(0).shape)) {
    return ctx.Fail(Status::kInvalidModel, "input and output shapes differ");
  }
  if (ctx.input(0).dtype != ctx.output(0).dtype) {
    return ctx.Fail(Status::kInvalidModel, "input and output dtypes differ");
  }
  return Status::kOk;
}

template <float (*kFunction)(const KernelContext&, float)>
Status PrepareUnaryFloat(KernelContext& ctx) {
  if (Status s = PrepareUnaryShapes(ctx); s != Status::kOk) return s;
  if (ctx.input(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalUnaryFloat<kFunction>);
  return Status::kOk;
}

}  // namespace vigil::kernels
