// MaxPool (ONNX MaxPool): 1-d and 2-d, strides, pads, dilations, ceil mode. Padding never wins.
#include <cfloat>

#include "kernels/reference/pool_shape.h"

namespace vigil::kernels {
namespace {

Status EvalFloat(KernelContext& ctx) {
  PoolShape s;
  (void)ReadPoolShape(ctx, &s);
  const WindowGeometry& g = s.g;
  const float* x = ctx.input(0).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  for (int32_t plane = 0; plane < s.planes; ++plane) {
    const float* xp = x + static_cast<int64_t>(plane) * g.in_h * g.in_w;
    for (int32_t oh = 0; oh < g.out_h; ++oh) {
      for (int32_t ow = 0; ow < g.out_w; ++ow) {
        float best = -FLT_MAX;
        bool any = false;
        for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
          const int32_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
          if (ih < 0 || ih >= g.in_h) continue;
          for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
            const int32_t iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
            if (iw < 0 || iw >= g.in_w) continue;
            const float v = xp[ih * g.in_w + iw];
            if (!any || v > best) best = v;
            any = true;
          }
        }
        y[(static_cast<int64_t>(plane) * g.out_h + oh) * g.out_w + ow] = best;
      }
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareMaxPool(KernelContext& ctx) {
  PoolShape s;
  if (Status st = ReadPoolShape(ctx, &s); st != Status::kOk) return st;
  if (ctx.input(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
