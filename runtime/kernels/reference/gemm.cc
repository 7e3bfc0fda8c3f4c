// Gemm (ONNX Gemm): Y = alpha * A' B' + beta * C, A' = A or A^T, B' = B or B^T, C broadcast onto
// [M, N] (unidirectional), fused activation.
#include "kernels/kernel.h"
#include "kernels/reference/fused_activation.h"
#include "kernels/reference/tensor_index.h"

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
    return ctx.Fail(Status::kInvalidModel, "shapes do not multiply: A' is %dx%d, B' is %dx%d, Y is %dx%d",
                    static_cast<int>(g->m), static_cast<int>(g->k), static_cast<int>(kb), static_cast<int>(g->n),
                    static_cast<int>(y.shape.dims[0]), static_cast<int>(y.shape.dims[1]));
  }
  if (ctx.has_input(2) && !BroadcastsTo(ctx.input(2).shape, y.shape)) {
    return ctx.Fail(Status::kInvalidModel, "C does not broadcast onto [M, N]");
  }
  if (!FusedActivation::From(p->activation()).Valid()) return ctx.Fail(Status::kInvalidModel, "bad fused activation");
  return Status::kOk;
}

Status EvalFloat(KernelContext& ctx) {
  GemmShape g;
  (void)ReadShape(ctx, &g);
  const auto* p = ctx.params<schema::GemmParams>();
  const FusedActivation act = FusedActivation::From(p->activation());
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
      float acc = 0.0f;
      for (int32_t k = 0; k < g.k; ++k) {
        float av = p->trans_a() ? a[static_cast<int64_t>(k) * g.m + i] : a[static_cast<int64_t>(i) * g.k + k];
        float bv = p->trans_b() ? b[static_cast<int64_t>(j) * g.k + k] : b[static_cast<int64_t>(k) * g.n + j];
        acc += av * bv;
      }
      float v = p->alpha() * acc;
      if (c) v += p->beta() * c[i * c_strides.step[0] + j * c_strides.step[1]];
      y[static_cast<int64_t>(i) * g.n + j] = act.Apply(v);
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareGemm(KernelContext& ctx) {
  GemmShape g;
  if (Status s = ReadShape(ctx, &g); s != Status::kOk) return s;
  bool all_float = ctx.input(0).dtype == DType::kFloat32 && ctx.input(1).dtype == DType::kFloat32 &&
                   ctx.output(0).dtype == DType::kFloat32 && (!ctx.has_input(2) || ctx.input(2).dtype == DType::kFloat32);
  if (!all_float) return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
