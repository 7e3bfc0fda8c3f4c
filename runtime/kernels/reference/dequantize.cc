// Dequantize (int8 -> float32) at the boundary of an int8 region: docs/int8_spec.md section 4.
#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"

namespace vigil::kernels {
namespace {

Status Eval(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  const float scale = ScaleOf(x);
  const int32_t zp = ZeroPointOf(x);
  const int8_t* in = x.data_as<const int8_t>();
  float* out = y.data_as<float>();
  const int64_t n = y.shape.ElementCount();
  for (int64_t i = 0; i < n; ++i)
    out[i] = scale * static_cast<float>(in[i] - zp);
  return Status::kOk;
}

}  // namespace

Status PrepareDequantize(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  if (!IsPerTensorInt8(x) || y.dtype != DType::kFloat32 || !(x.shape == y.shape)) {
    return ctx.Fail(Status::kInvalidModel,
                    "Dequantize maps a per-tensor int8 tensor onto float32 of the same shape");
  }
  ctx.set_eval(Eval);
  return Status::kOk;
}

}  // namespace vigil::kernels
