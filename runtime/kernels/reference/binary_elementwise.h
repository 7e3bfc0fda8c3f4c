// The shared body of Add, Sub and Mul: NumPy broadcasting of two inputs onto the output shape and
// a fused activation. Each op's file supplies its arithmetic.
#pragma once

#include "kernels/kernel.h"
#include "kernels/reference/fused_activation.h"
#include "kernels/reference/tensor_index.h"

namespace vigil::kernels {

inline Status PrepareBinaryShapes(KernelContext& ctx) {
  TensorView a = ctx.input(0), b = ctx.input(1), y = ctx.output(0);
  if (!BroadcastsTo(a.shape, y.shape) || !BroadcastsTo(b.shape, y.shape)) {
    return ctx.Fail(Status::kInvalidModel, "inputs do not broadcast onto the output shape");
  }
  // The output must be exactly the broadcast of the inputs (no silent extra dimensions).
  int rank = a.shape.rank > b.shape.rank ? a.shape.rank : b.shape.rank;
  if (y.shape.rank != rank) return ctx.Fail(Status::kInvalidModel, "output rank is not the broadcast rank");
  for (int d = 0; d < rank; ++d) {
    int ia = d - (rank - a.shape.rank), ib = d - (rank - b.shape.rank);
    int32_t da = ia >= 0 ? a.shape.dims[ia] : 1, db = ib >= 0 ? b.shape.dims[ib] : 1;
    if (y.shape.dims[d] != (da > db ? da : db)) {
      return ctx.Fail(Status::kInvalidModel, "output shape is not the broadcast shape");
    }
  }
  if (!FusedActivation::From(ctx.params<schema::ElementwiseParams>()->activation()).Valid()) {
    return ctx.Fail(Status::kInvalidModel, "bad fused activation");
  }
  return Status::kOk;
}

template <typename Op>
Status EvalBinaryFloat(KernelContext& ctx) {
  TensorView a = ctx.input(0), b = ctx.input(1), y = ctx.output(0);
  const FusedActivation act = FusedActivation::From(ctx.params<schema::ElementwiseParams>()->activation());
  const float* av = a.data_as<const float>();
  const float* bv = b.data_as<const float>();
  float* yv = y.data_as<float>();
  if (a.shape == y.shape && b.shape == y.shape) {
    const int64_t n = y.shape.ElementCount();
    for (int64_t i = 0; i < n; ++i) yv[i] = act.Apply(Op::Apply(av[i], bv[i]));
    return Status::kOk;
  }
  Strides sa = BroadcastStrides(a.shape, y.shape), sb = BroadcastStrides(b.shape, y.shape);
  Strides sy = RowMajorStrides(y.shape);
  const Strides* strides[3] = {&sa, &sb, &sy};
  for (NdCounter<3> it(y.shape, strides); !it.done(); it.Next()) {
    yv[it.offset(2)] = act.Apply(Op::Apply(av[it.offset(0)], bv[it.offset(1)]));
  }
  return Status::kOk;
}

template <typename Op>
Status PrepareBinary(KernelContext& ctx) {
  if (Status s = PrepareBinaryShapes(ctx); s != Status::kOk) return s;
  if (ctx.input(0).dtype != DType::kFloat32 || ctx.input(1).dtype != DType::kFloat32 ||
      ctx.output(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalBinaryFloat<Op>);
  return Status::kOk;
}

}  // namespace vigil::kernels
