// Gemm (ONNX Gemm): Y = alpha * A' B' + beta * C, A' = A or A^T, B' = B or B^T, C broadcast onto
// [M, N] (unidirectional), fused activation.
#include "kernels/kernel.h"
#include "kernels/reference/fused_activation.h"
#include "kernels/reference/tensor_index.h"
#include "kernels/reference/weighted_int8.h"

namespace vigil::kernels {
namespace {

struct GemmShape {
  int32_t m, n, k;
};

Status ReadShape(KernelContext& ctx, GemmShape* g) {
  const auto* p = ctx.params<schema::GemmParams>();
  TensorView a = ctx.input(0), b = ctx.input(1), y = ctx.output(0);
  if (a.shape.rank != 2 || b.shape.rank != 2 || y.shape.rank != 2) {
    return ctx.Fail(Status::kInvalidModel, "A, B and Y must be matrices");
  }
  g->m = p->trans_a() ? a.shape.dims[1] : a.shape.dims[0];
  g->k = p->trans_a() ? a.shape.dims[0] : a.shape.dims[1];
  int32_t kb = p->trans_b() ? b.shape.dims[1] : b.shape.dims[0];
  g->n = p->trans_b() ? b.shape.dims[0] : b.shape.dims[1];
  if (kb != g->k || y.shape.dims[0] != g->m || y.shape.dims[1] != g->n) {
    return ctx.Fail(Status::kInvalidModel,
                    "shapes do not multiply: A' is %dx%d, B' is %dx%d, Y is %dx%d",
                    static_cast<int>(g->m), static_cast<int>(g->k), static_cast<int>(kb),
                    static_cast<int>(g->n), static_cast<int>(y.shape.dims[0]),
                    static_cast<int>(y.shape.dims[1]));
  }
  if (ctx.has_input(2) && !BroadcastsTo(ctx.input(2).shape, y.shape)) {
    return ctx.Fail(Status::kInvalidModel, "C does not broadcast onto [M, N]");
  }
  if (!FusedActivation::From(p->activation()).Valid())
    return ctx.Fail(Status::kInvalidModel, "bad fused activation");
  return Status::kOk;
}

// Element (i, k) of A' and (k, j) of B' through their strides, so one loop serves every transpose.
struct MatrixStrides {
  int64_t row, col;
};

Status EvalFloat(KernelContext& ctx) {
  GemmShape g;
  (void)ReadShape(ctx, &g);
  const auto* p = ctx.params<schema::GemmParams>();
  const FusedActivation act = FusedActivation::From(p->activation());
  const float alpha = p->alpha(), beta = p->beta();
  const MatrixStrides sa = p->trans_a() ? MatrixStrides{1, g.m} : MatrixStrides{g.k, 1};
  const MatrixStrides sb = p->trans_b() ? MatrixStrides{1, g.k} : MatrixStrides{g.n, 1};
  const float* a = ctx.input(0).data_as<const float>();
  const float* b = ctx.input(1).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  const float* c = nullptr;
  Strides c_strides;
  if (ctx.has_input(2)) {
    c = ctx.input(2).data_as<const float>();
    c_strides = BroadcastStrides(ctx.input(2).shape, ctx.output(0).shape);
  }
  for (int32_t i = 0; i < g.m; ++i) {
    for (int32_t j = 0; j < g.n; ++j) {
      const float* a_row = a + i * sa.row;
      const float* b_col = b + j * sb.col;
      float acc = 0.0f;
      for (int32_t k = 0; k < g.k; ++k)
        acc += a_row[k * sa.col] * b_col[k * sb.row];
      float v = alpha * acc;
      if (c) v += beta * c[i * c_strides.step[0] + j * c_strides.step[1]];
      y[static_cast<int64_t>(i) * g.n + j] = act.Apply(v);
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.3: alpha and beta are folded into the quantized B and C by the compiler.
Status EvalInt8(KernelContext& ctx) {
  GemmShape g;
  (void)ReadShape(ctx, &g);
  const auto* p = ctx.params<schema::GemmParams>();
  const MatrixStrides sa = p->trans_a() ? MatrixStrides{1, g.m} : MatrixStrides{g.k, 1};
  const MatrixStrides sb = p->trans_b() ? MatrixStrides{1, g.k} : MatrixStrides{g.n, 1};
  const WeightedInt8Operands op = ReadWeightedInt8Operands(ctx);  // x is A, w is B
  // A row of A' times a column of B' both contiguous (A as is, B transposed: a dense layer's
  // weights as PyTorch and the ONNX exporter store them) with a sum that fits int32
  // (kInt32SafeTerms): the loop GCC vectorises. Either way the sum is the same exact integer.
  const bool contiguous = sa.col == 1 && sb.row == 1 && g.k <= kInt32SafeTerms;
  for (int32_t i = 0; i < g.m; ++i) {
    for (int32_t j = 0; j < g.n; ++j) {
      const int8_t* a_row = op.x + i * sa.row;
      const int8_t* b_col = op.w + j * sb.col;
      int64_t acc = op.bias ? op.bias[j] : 0;  // int64, saturated: see conv.cc
      if (contiguous) {
        int32_t sum = 0;
        for (int32_t k = 0; k < g.k; ++k)
          sum += (a_row[k] - op.zp_x) * b_col[k];
        acc += sum;
      } else {
        for (int32_t k = 0; k < g.k; ++k)
          acc += (a_row[k * sa.col] - op.zp_x) * b_col[k * sb.row];
      }
      op.y[static_cast<int64_t>(i) * g.n + j] = op.ForChannel(j)(Saturate32(acc));
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareGemm(KernelContext& ctx) {
  GemmShape g;
  if (Status s = ReadShape(ctx, &g); s != Status::kOk) return s;
  if (ctx.input(0).dtype == DType::kInt8) {
    const auto* p = ctx.params<schema::GemmParams>();
    if (p->alpha() != 1.0f || p->beta() != 1.0f)
      return ctx.Fail(Status::kInvalidModel, "int8 Gemm needs alpha = beta = 1");
    if (ctx.has_input(2) && (ctx.input(2).shape.rank != 1 || ctx.input(2).shape.dims[0] != g.n)) {
      return ctx.Fail(Status::kInvalidModel, "int8 Gemm needs a bias of shape [N]");
    }
    const int32_t channels = ctx.input(1).quant.count == 1 ? 1 : g.n;
    if (Status s = PrepareWeightedInt8(ctx, channels, p->trans_b() ? 0 : 1,
                                       FusedActivation::From(p->activation()));
        s != Status::kOk) {
      return s;
    }
    ctx.set_eval(EvalInt8);
    return Status::kOk;
  }
  bool all_float = ctx.input(0).dtype == DType::kFloat32 && ctx.input(1).dtype == DType::kFloat32 &&
                   ctx.output(0).dtype == DType::kFloat32 &&
                   (!ctx.has_input(2) || ctx.input(2).dtype == DType::kFloat32);
  if (!all_float) return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
