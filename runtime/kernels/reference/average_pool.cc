// AveragePool (ONNX AveragePool): 1-d and 2-d, strides, pads, ceil mode, count_include_pad.
// The divisor counts the window's elements inside the input, or inside input + pads when
// count_include_pad is set (never the ceil-mode overhang past the end pad).
#include "kernels/reference/fixed_point.h"
#include "kernels/reference/pool_shape.h"

namespace vigil::kernels {
namespace {

Status EvalFloat(KernelContext& ctx) {
  PoolShape s;
  (void)ReadPoolShape(ctx, &s);
  const WindowGeometry& g = s.g;
  const bool include_pad = ctx.params<schema::PoolParams>()->count_include_pad();
  const float* x = ctx.input(0).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  for (int32_t plane = 0; plane < s.planes; ++plane) {
    const float* xp = x + static_cast<int64_t>(plane) * g.in_h * g.in_w;
    for (int32_t oh = 0; oh < g.out_h; ++oh) {
      for (int32_t ow = 0; ow < g.out_w; ++ow) {
        float sum = 0.0f;
        int32_t count = 0;
        for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
          const int32_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
          const bool h_in = ih >= 0 && ih < g.in_h;
          const bool h_padded = ih >= -g.pad_top && ih < g.in_h + g.pad_bottom;
          for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
            const int32_t iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
            const bool w_in = iw >= 0 && iw < g.in_w;
            const bool w_padded = iw >= -g.pad_left && iw < g.in_w + g.pad_right;
            if (h_in && w_in) {
              sum += xp[ih * g.in_w + iw];
              ++count;
            } else if (include_pad && h_padded && w_padded) {
              ++count;
            }
          }
        }
        y[(static_cast<int64_t>(plane) * g.out_h + oh) * g.out_w + ow] =
            count ? sum / static_cast<float>(count) : 0.0f;
      }
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.8: the sum of q (padded positions counted as zp) divided with rounding.
Status EvalInt8(KernelContext& ctx) {
  PoolShape s;
  (void)ReadPoolShape(ctx, &s);
  const WindowGeometry& g = s.g;
  const bool include_pad = ctx.params<schema::PoolParams>()->count_include_pad();
  const int32_t zp = ZeroPointOf(ctx.input(0));
  const int8_t* x = ctx.input(0).data_as<const int8_t>();
  int8_t* y = ctx.output(0).data_as<int8_t>();
  for (int32_t plane = 0; plane < s.planes; ++plane) {
    const int8_t* xp = x + static_cast<int64_t>(plane) * g.in_h * g.in_w;
    for (int32_t oh = 0; oh < g.out_h; ++oh) {
      for (int32_t ow = 0; ow < g.out_w; ++ow) {
        int64_t sum = 0, count = 0;  // a window may hold over 2^31 / 127 padded taps
        for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
          const int32_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
          const bool h_in = ih >= 0 && ih < g.in_h;
          const bool h_padded = ih >= -g.pad_top && ih < g.in_h + g.pad_bottom;
          for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
            const int32_t iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
            const bool w_in = iw >= 0 && iw < g.in_w;
            const bool w_padded = iw >= -g.pad_left && iw < g.in_w + g.pad_right;
            if (h_in && w_in) {
              sum += xp[ih * g.in_w + iw];
              ++count;
            } else if (include_pad && h_padded && w_padded) {
              sum += zp;
              ++count;
            }
          }
        }
        const int64_t average =
            count == 0 ? zp : (sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count);
        y[(static_cast<int64_t>(plane) * g.out_h + oh) * g.out_w + ow] =
            static_cast<int8_t>(Clamp(average, kInt8Min, kInt8Max));
      }
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareAveragePool(KernelContext& ctx) {
  PoolShape s;
  if (Status st = ReadPoolShape(ctx, &s); st != Status::kOk) return st;
  if (ctx.input(0).dtype == DType::kInt8) {
    if (!IsPerTensorInt8(ctx.input(0)) || !SameQuantization(ctx.input(0), ctx.output(0))) {
      return ctx.Fail(Status::kInvalidModel,
                      "int8 AveragePool needs the same per-tensor quantization in and out");
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
