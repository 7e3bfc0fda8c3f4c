// Quantize (float32 -> int8) at the boundary of an int8 region: docs/int8_spec.md section 4.
#include <cmath>

#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"

namespace vigil::kernels {
namespace {

Status Eval(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  const float scale = ScaleOf(y);
  const int32_t zp = ZeroPointOf(y);
  const float* in = x.data_as<const float>();
  int8_t* out = y.data_as<int8_t>();
  const int64_t n = y.shape.ElementCount();
  for (int64_t i = 0; i < n; ++i) {
    const float v = in[i] / scale;
    int64_t q = zp;
    if (v >= 1e9f) {
      q = kInt8Max;  // saturate before the conversion to an integer could overflow
    } else if (v <= -1e9f) {
      q = kInt8Min;
    } else if (v == v) {  // NaN maps to the zero point
      q = static_cast<int64_t>(std::round(v)) + zp;
    }
    out[i] = static_cast<int8_t>(Clamp(q, kInt8Min, kInt8Max));
  }
  return Status::kOk;
}

}  // namespace

Status PrepareQuantize(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  if (x.dtype != DType::kFloat32 || !IsPerTensorInt8(y) || !(x.shape == y.shape)) {
    return ctx.Fail(Status::kInvalidModel,
                    "Quantize maps float32 onto a per-tensor int8 tensor of the same shape");
  }
  ctx.set_eval(Eval);
  return Status::kOk;
}

}  // namespace vigil::kernels
