// The shared body of Add, Sub and Mul: NumPy broadcasting of two inputs onto the output shape and
// a fused activation. Each op's file supplies its float arithmetic and which int8 method of
// docs/int8_spec.md it follows (5.5 for Add and Sub, 5.6 for Mul).
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
  if (y.shape.rank != rank)
    return ctx.Fail(Status::kInvalidModel, "output rank is not the broadcast rank");
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

enum class Int8Method { kAdd, kSub, kMul };

// Requantization of an int8 binary op: input multipliers (Add/Sub only), output multiplier, clamp.
struct BinaryInt8Data {
  ActivationRange range;
  QuantizedMultiplier input1, input2, output;
};

// Add and Sub bring both inputs to a common scale with 20 bits of headroom (TFLite's method).
constexpr int kAddLeftShift = 20;

// The int32 value the output multiplier then scales (spec 5.5, 5.6).
template <Int8Method kMethod>
inline int32_t CombineInt8(int32_t a, int32_t b, const BinaryInt8Data& d) {
  if constexpr (kMethod == Int8Method::kMul) {
    return a * b;
  } else {
    const int32_t va = Mbqm(a * (1 << kAddLeftShift), d.input1);
    const int32_t vb = Mbqm(b * (1 << kAddLeftShift), d.input2);
    return kMethod == Int8Method::kAdd ? va + vb : va - vb;
  }
}

template <typename Op>
Status EvalBinaryInt8(KernelContext& ctx) {
  TensorView a = ctx.input(0), b = ctx.input(1), y = ctx.output(0);
  const auto& d = *static_cast<const BinaryInt8Data*>(ctx.op_data());
  const int8_t* av = a.data_as<const int8_t>();
  const int8_t* bv = b.data_as<const int8_t>();
  int8_t* yv = y.data_as<int8_t>();
  const int32_t zp_a = ZeroPointOf(a), zp_b = ZeroPointOf(b), zp_y = ZeroPointOf(y);
  Strides sa = BroadcastStrides(a.shape, y.shape), sb = BroadcastStrides(b.shape, y.shape);
  Strides sy = RowMajorStrides(y.shape);
  const Strides* strides[3] = {&sa, &sb, &sy};
  const Requantizer requantize(d.output, zp_y, d.range.lo, d.range.hi);
  for (NdCounter<3> it(y.shape, strides); !it.done(); it.Next()) {
    const int32_t raw = CombineInt8<Op::kInt8>(av[it.offset(0)] - zp_a, bv[it.offset(1)] - zp_b, d);
    yv[it.offset(2)] = requantize(raw);
  }
  return Status::kOk;
}

template <typename Op>
Status PrepareBinaryInt8(KernelContext& ctx) {
  TensorView a = ctx.input(0), b = ctx.input(1), y = ctx.output(0);
  if (!IsPerTensorInt8(a) || !IsPerTensorInt8(b) || !IsPerTensorInt8(y)) {
    return ctx.Fail(Status::kInvalidModel, "int8 inputs and output need per-tensor quantization");
  }
  const FusedActivation act =
      FusedActivation::From(ctx.params<schema::ElementwiseParams>()->activation());
  if (act.kind == schema::ActivationKind::LeakyRelu) {
    return ctx.Fail(Status::kInvalidModel,
                    "int8 ops cannot fuse LeakyRelu (it is its own table op)");
  }
  auto* d = static_cast<BinaryInt8Data*>(ctx.AllocatePersistent(sizeof(BinaryInt8Data)));
  if (d == nullptr) return Status::kInvalidModel;
  const double sa = ScaleOf(a), sb = ScaleOf(b), sy = ScaleOf(y);
  if constexpr (Op::kInt8 == Int8Method::kMul) {
    d->output = QuantizeMultiplier(sa * sb / sy);
  } else {
    const double twice_max = 2.0 * (sa > sb ? sa : sb);
    d->input1 = QuantizeMultiplier(sa / twice_max);
    d->input2 = QuantizeMultiplier(sb / twice_max);
    d->output = QuantizeMultiplier(twice_max / (static_cast<double>(1 << kAddLeftShift) * sy));
  }
  d->range = act.Int8Range(ScaleOf(y), ZeroPointOf(y));
  ctx.set_op_data(d);
  ctx.set_eval(EvalBinaryInt8<Op>);
  return Status::kOk;
}

template <typename Op>
Status EvalBinaryFloat(KernelContext& ctx) {
  TensorView a = ctx.input(0), b = ctx.input(1), y = ctx.output(0);
  const FusedActivation act =
      FusedActivation::From(ctx.params<schema::ElementwiseParams>()->activation());
  const float* av = a.data_as<const float>();
  const float* bv = b.data_as<const float>();
  float* yv = y.data_as<float>();
  if (a.shape == y.shape && b.shape == y.shape) {
    const int64_t n = y.shape.ElementCount();
    for (int64_t i = 0; i < n; ++i)
      yv[i] = act.Apply(Op::Apply(av[i], bv[i]));
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
  if (ctx.input(0).dtype == DType::kInt8) return PrepareBinaryInt8<Op>(ctx);
  if (ctx.input(0).dtype != DType::kFloat32 || ctx.input(1).dtype != DType::kFloat32 ||
      ctx.output(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalBinaryFloat<Op>);
  return Status::kOk;
}

}  // namespace vigil::kernels
