// GlobalAveragePool (ONNX GlobalAveragePool): mean over all spatial dimensions of N C spatial...
#include "kernels/kernel.h"

namespace vigil::kernels {
namespace {

void Geometry(KernelContext& ctx, int64_t* planes, int64_t* plane_size) {
  const Shape& s = ctx.input(0).shape;
  *planes = static_cast<int64_t>(s.dims[0]) * s.dims[1];
  *plane_size = 1;
  for (int d = 2; d < s.rank; ++d) *plane_size *= s.dims[d];
}

Status EvalFloat(KernelContext& ctx) {
  int64_t planes, plane_size;
  Geometry(ctx, &planes, &plane_size);
  const float* x = ctx.input(0).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  for (int64_t p = 0; p < planes; ++p) {
    float sum = 0.0f;
    for (int64_t i = 0; i < plane_size; ++i) sum += x[p * plane_size + i];
    y[p] = plane_size ? sum / static_cast<float>(plane_size) : 0.0f;
  }
  return Status::kOk;
}

}  // namespace

Status PrepareGlobalAveragePool(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  bool ok = x.shape.rank >= 3 && y.shape.rank == x.shape.rank && y.shape.dims[0] == x.shape.dims[0] &&
            y.shape.dims[1] == x.shape.dims[1];
  for (int d = 2; ok && d < y.shape.rank; ++d) ok = y.shape.dims[d] == 1;
  if (!ok) return ctx.Fail(Status::kInvalidModel, "output must be [N, C, 1, ...] of an [N, C, ...] input");
  if (x.dtype != DType::kFloat32 || y.dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
