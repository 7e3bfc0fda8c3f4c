// MaxPool (ONNX MaxPool): 1-d and 2-d, strides, pads, dilations, ceil mode. Padding never wins.
#include <cfloat>

#include "kernels/reference/fixed_point.h"
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

// docs/int8_spec.md 5.8: input and output share their parameters, so the maximum q is the answer.
Status EvalInt8(KernelContext& ctx) {
  PoolShape s;
  (void)ReadPoolShape(ctx, &s);
  const WindowGeometry& g = s.g;
  const int8_t* x = ctx.input(0).data_as<const int8_t>();
  int8_t* y = ctx.output(0).data_as<int8_t>();
  for (int32_t plane = 0; plane < s.planes; ++plane) {
    const int8_t* xp = x + static_cast<int64_t>(plane) * g.in_h * g.in_w;
    for (int32_t oh = 0; oh < g.out_h; ++oh) {
      for (int32_t ow = 0; ow < g.out_w; ++ow) {
        int32_t best = kInt8Min;
        for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
          const int32_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
          if (ih < 0 || ih >= g.in_h) continue;
          for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
            const int32_t iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
            if (iw >= 0 && iw < g.in_w && xp[ih * g.in_w + iw] > best) best = xp[ih * g.in_w + iw];
          }
        }
        y[(static_cast<int64_t>(plane) * g.out_h + oh) * g.out_w + ow] = static_cast<int8_t>(best);
      }
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareMaxPool(KernelContext& ctx) {
  PoolShape s;
  if (Status st = ReadPoolShape(ctx, &s); st != Status::kOk) return st;
  if (ctx.input(0).dtype == DType::kInt8) {
    if (!IsPerTensorInt8(ctx.input(0)) || !SameQuantization(ctx.input(0), ctx.output(0))) {
      return ctx.Fail(Status::kInvalidModel, "int8 MaxPool needs the same per-tensor quantization in and out");
    }
    ctx.set_eval(EvalInt8);
    return Status::kOk;
  }
  if (ctx.input(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
