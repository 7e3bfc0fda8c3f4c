// MatMul (ONNX MatMul, NumPy matmul semantics): batched over leading dimensions with broadcasting;
// a 1-d A is a row vector and a 1-d B a column vector, their unit dimension dropped from Y.
#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"
#include "kernels/reference/tensor_index.h"

namespace vigil::kernels {
namespace {

struct MatMulShape {
  int32_t m, k, n;
  Shape batch;  // broadcast batch shape
  Shape a_batch, b_batch;
};

Status ReadShape(KernelContext& ctx, MatMulShape* s) {
  const Shape& a = ctx.input(0).shape;
  const Shape& b = ctx.input(1).shape;
  const Shape& y = ctx.output(0).shape;
  if (a.rank < 1 || b.rank < 1)
    return ctx.Fail(Status::kInvalidModel, "inputs must have rank >= 1");
  s->m = a.rank == 1 ? 1 : a.dims[a.rank - 2];
  s->k = a.dims[a.rank - 1];
  int32_t kb = b.rank == 1 ? b.dims[0] : b.dims[b.rank - 2];
  s->n = b.rank == 1 ? 1 : b.dims[b.rank - 1];
  if (kb != s->k)
    return ctx.Fail(Status::kInvalidModel, "inner dimensions differ: %d vs %d",
                    static_cast<int>(s->k), static_cast<int>(kb));
  s->a_batch.rank = a.rank > 2 ? a.rank - 2 : 0;
  s->b_batch.rank = b.rank > 2 ? b.rank - 2 : 0;
  for (int d = 0; d < s->a_batch.rank; ++d)
    s->a_batch.dims[d] = a.dims[d];
  for (int d = 0; d < s->b_batch.rank; ++d)
    s->b_batch.dims[d] = b.dims[d];
  s->batch.rank = s->a_batch.rank > s->b_batch.rank ? s->a_batch.rank : s->b_batch.rank;
  for (int d = 0; d < s->batch.rank; ++d) {
    int ia = d - (s->batch.rank - s->a_batch.rank), ib = d - (s->batch.rank - s->b_batch.rank);
    int32_t da = ia >= 0 ? s->a_batch.dims[ia] : 1, db = ib >= 0 ? s->b_batch.dims[ib] : 1;
    if (da != db && da != 1 && db != 1)
      return ctx.Fail(Status::kInvalidModel, "batch dimensions do not broadcast");
    s->batch.dims[d] = da > db ? da : db;
  }
  Shape expected = s->batch;
  if (a.rank > 1) expected.dims[expected.rank++] = s->m;
  if (b.rank > 1) expected.dims[expected.rank++] = s->n;
  if (!(expected == y))
    return ctx.Fail(Status::kInvalidModel, "output shape does not follow from the inputs");
  return Status::kOk;
}

Status EvalFloat(KernelContext& ctx) {
  MatMulShape s;
  (void)ReadShape(ctx, &s);
  const float* a = ctx.input(0).data_as<const float>();
  const float* b = ctx.input(1).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  const int64_t a_matrix = static_cast<int64_t>(s.m) * s.k,
                b_matrix = static_cast<int64_t>(s.k) * s.n;
  const int64_t y_matrix = static_cast<int64_t>(s.m) * s.n;
  Strides a_strides = BroadcastStrides(s.a_batch, s.batch),
          b_strides = BroadcastStrides(s.b_batch, s.batch);
  Strides y_strides = RowMajorStrides(s.batch);
  const Strides* strides[3] = {&a_strides, &b_strides, &y_strides};
  Shape batch = s.batch;
  if (batch.rank == 0) batch.dims[batch.rank++] = 1;  // one iteration for plain matrices
  for (NdCounter<3> it(batch, strides); !it.done(); it.Next()) {
    const float* am = a + it.offset(0) * a_matrix;
    const float* bm = b + it.offset(1) * b_matrix;
    float* ym = y + it.offset(2) * y_matrix;
    for (int32_t i = 0; i < s.m; ++i) {
      for (int32_t j = 0; j < s.n; ++j) {
        float acc = 0.0f;
        for (int32_t k = 0; k < s.k; ++k)
          acc += am[static_cast<int64_t>(i) * s.k + k] * bm[static_cast<int64_t>(k) * s.n + j];
        ym[static_cast<int64_t>(i) * s.n + j] = acc;
      }
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.4: both operands are activations with zero points.
Status EvalInt8(KernelContext& ctx) {
  MatMulShape s;
  (void)ReadShape(ctx, &s);
  const auto* multiplier = static_cast<const QuantizedMultiplier*>(ctx.op_data());
  TensorView av = ctx.input(0), bv = ctx.input(1), yv = ctx.output(0);
  const int8_t* a = av.data_as<const int8_t>();
  const int8_t* b = bv.data_as<const int8_t>();
  int8_t* y = yv.data_as<int8_t>();
  const int32_t zp_a = ZeroPointOf(av), zp_b = ZeroPointOf(bv), zp_y = ZeroPointOf(yv);
  const Requantizer requantize(*multiplier, zp_y, kInt8Min, kInt8Max);
  const int64_t a_matrix = static_cast<int64_t>(s.m) * s.k,
                b_matrix = static_cast<int64_t>(s.k) * s.n;
  const int64_t y_matrix = static_cast<int64_t>(s.m) * s.n;
  Strides a_strides = BroadcastStrides(s.a_batch, s.batch),
          b_strides = BroadcastStrides(s.b_batch, s.batch);
  Strides y_strides = RowMajorStrides(s.batch);
  const Strides* strides[3] = {&a_strides, &b_strides, &y_strides};
  Shape batch = s.batch;
  if (batch.rank == 0) batch.dims[batch.rank++] = 1;
  for (NdCounter<3> it(batch, strides); !it.done(); it.Next()) {
    const int8_t* am = a + it.offset(0) * a_matrix;
    const int8_t* bm = b + it.offset(1) * b_matrix;
    int8_t* ym = y + it.offset(2) * y_matrix;
    for (int32_t i = 0; i < s.m; ++i) {
      for (int32_t j = 0; j < s.n; ++j) {
        int64_t acc = 0;  // int64, saturated: see conv.cc
        for (int32_t k = 0; k < s.k; ++k) {
          acc += (am[static_cast<int64_t>(i) * s.k + k] - zp_a) *
                 (bm[static_cast<int64_t>(k) * s.n + j] - zp_b);
        }
        ym[static_cast<int64_t>(i) * s.n + j] = requantize(Saturate32(acc));
      }
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareMatMul(KernelContext& ctx) {
  MatMulShape s;
  if (Status st = ReadShape(ctx, &s); st != Status::kOk) return st;
  TensorView a = ctx.input(0), b = ctx.input(1), y = ctx.output(0);
  if (a.dtype == DType::kInt8) {
    if (!IsPerTensorInt8(a) || !IsPerTensorInt8(b) || !IsPerTensorInt8(y)) {
      return ctx.Fail(Status::kInvalidModel, "int8 MatMul needs per-tensor int8 inputs and output");
    }
    auto* multiplier =
        static_cast<QuantizedMultiplier*>(ctx.AllocatePersistent(sizeof(QuantizedMultiplier)));
    if (multiplier == nullptr) return Status::kInvalidModel;
    *multiplier =
        QuantizeMultiplier(static_cast<double>(ScaleOf(a)) * static_cast<double>(ScaleOf(b)) /
                           static_cast<double>(ScaleOf(y)));
    ctx.set_op_data(multiplier);
    ctx.set_eval(EvalInt8);
    return Status::kOk;
  }
  if (ctx.input(0).dtype != DType::kFloat32 || ctx.input(1).dtype != DType::kFloat32 ||
      ctx.output(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
