// GlobalAveragePool (ONNX GlobalAveragePool): mean over all spatial dimensions of N C spatial...
#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"

namespace vigil::kernels {
namespace {

void Geometry(KernelContext& ctx, int64_t* planes, int64_t* plane_size) {
  const Shape& s = ctx.input(0).shape;
  *planes = static_cast<int64_t>(s.dims[0]) * s.dims[1];
  *plane_size = 1;
  for (int d = 2; d < s.rank; ++d)
    *plane_size *= s.dims[d];
}

Status EvalFloat(KernelContext& ctx) {
  int64_t planes, plane_size;
  Geometry(ctx, &planes, &plane_size);
  const float* x = ctx.input(0).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  for (int64_t p = 0; p < planes; ++p) {
    float sum = 0.0f;
    for (int64_t i = 0; i < plane_size; ++i)
      sum += x[p * plane_size + i];
    y[p] = plane_size ? sum / static_cast<float>(plane_size) : 0.0f;
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.8, over every spatial position.
Status EvalInt8(KernelContext& ctx) {
  int64_t planes, plane_size;
  Geometry(ctx, &planes, &plane_size);
  const int8_t* x = ctx.input(0).data_as<const int8_t>();
  int8_t* y = ctx.output(0).data_as<int8_t>();
  const int32_t count = static_cast<int32_t>(plane_size);
  for (int64_t p = 0; p < planes; ++p) {
    int32_t sum = 0;
    for (int64_t i = 0; i < plane_size; ++i)
      sum += x[p * plane_size + i];
    const int32_t average =
        count == 0 ? ZeroPointOf(ctx.input(0))
                   : (sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count);
    y[p] = static_cast<int8_t>(Clamp(average, kInt8Min, kInt8Max));
  }
  return Status::kOk;
}

}  // namespace

Status PrepareGlobalAveragePool(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  bool ok = x.shape.rank >= 3 && y.shape.rank == x.shape.rank &&
            y.shape.dims[0] == x.shape.dims[0] && y.shape.dims[1] == x.shape.dims[1];
  for (int d = 2; ok && d < y.shape.rank; ++d)
    ok = y.shape.dims[d] == 1;
  if (!ok)
    return ctx.Fail(Status::kInvalidModel, "output must be [N, C, 1, ...] of an [N, C, ...] input");
  if (x.dtype == DType::kInt8) {
    if (!IsPerTensorInt8(x) || !SameQuantization(x, y)) {
      return ctx.Fail(Status::kInvalidModel,
                      "int8 GlobalAveragePool needs the same per-tensor quantization in and out");
    }
    // An int32 sum of up to 2^23 int8 values cannot overflow.
    if (x.shape.ElementCount() /
            (static_cast<int64_t>(x.shape.dims[0]) * x.shape.dims[1] + (x.shape.dims[1] == 0)) >
        (1 << 23)) {
      return ctx.Fail(Status::kUnsupportedModel, "int8 plane larger than 2^23 elements");
    }
    ctx.set_eval(EvalInt8);
    return Status::kOk;
  }
  if (x.dtype != DType::kFloat32 || y.dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
