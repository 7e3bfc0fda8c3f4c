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

// Most pools never reach the padding (the ECG models': kernel 2, stride 2, no padding). When every
// window lies inside the input its positions need no bounds checks and its maximum starts from its
// first value: the same maximum as EvalInt8, in a fraction of the instructions.
bool WindowsInsideInput(const WindowGeometry& g) {
  auto inside = [](int64_t out, int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                   int64_t pad_begin) {
    return pad_begin == 0 && (out - 1) * stride + (kernel - 1) * dilation < in;
  };
  return inside(g.out_h, g.in_h, g.kernel_h, g.stride_h, g.dilation_h, g.pad_top) &&
         inside(g.out_w, g.in_w, g.kernel_w, g.stride_w, g.dilation_w, g.pad_left);
}

// Windows one row high, two neighbours wide, stride 2 along the row: each output is the larger of
// a pair of its own. With the stride a constant, GCC vectorises the row (SSE2: 19 instructions per
// 16 outputs, where the general path took about 84 per output).
bool RowsOfPairs(const WindowGeometry& g) {
  return g.kernel_h == 1 && g.kernel_w == 2 && g.stride_w == 2 && g.dilation_w == 1;
}

// Each writes one output row, y[0, out_w), from the windows starting at x_row[ow * stride_w].
void MaxRowOfPairs(const int8_t* __restrict x_row, const WindowGeometry& g, int8_t* __restrict y) {
  for (int32_t ow = 0; ow < g.out_w; ++ow) {
    const int8_t a = x_row[2 * ow], b = x_row[2 * ow + 1];
    y[ow] = a > b ? a : b;
  }
}

void MaxRowOfWindows(const int8_t* __restrict x_row, const WindowGeometry& g,
                     int8_t* __restrict y) {
  const int64_t window_row_step = static_cast<int64_t>(g.dilation_h) * g.in_w;
  for (int32_t ow = 0; ow < g.out_w; ++ow) {
    const int8_t* window = x_row + static_cast<int64_t>(ow) * g.stride_w;
    int8_t best = window[0];
    for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
      const int8_t* window_row = window + kh * window_row_step;
      for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
        const int8_t v = window_row[kw * g.dilation_w];
        best = v > best ? v : best;
      }
    }
    y[ow] = best;
  }
}

template <void (*MaxRow)(const int8_t* __restrict, const WindowGeometry&, int8_t* __restrict)>
Status EvalInt8Inside(KernelContext& ctx) {
  PoolShape s;
  (void)ReadPoolShape(ctx, &s);
  const WindowGeometry& g = s.g;
  const int8_t* x = ctx.input(0).data_as<const int8_t>();
  int8_t* y = ctx.output(0).data_as<int8_t>();
  for (int32_t plane = 0; plane < s.planes; ++plane) {
    const int8_t* xp = x + static_cast<int64_t>(plane) * g.in_h * g.in_w;
    for (int32_t oh = 0; oh < g.out_h; ++oh) {
      MaxRow(xp + static_cast<int64_t>(oh) * g.stride_h * g.in_w, g,
             y + (static_cast<int64_t>(plane) * g.out_h + oh) * g.out_w);
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
      return ctx.Fail(Status::kInvalidModel,
                      "int8 MaxPool needs the same per-tensor quantization in and out");
    }
    if (!WindowsInsideInput(s.g)) {
      ctx.set_eval(EvalInt8);
    } else {
      ctx.set_eval(RowsOfPairs(s.g) ? EvalInt8Inside<MaxRowOfPairs>
                                    : EvalInt8Inside<MaxRowOfWindows>);
    }
    return Status::kOk;
  }
  if (ctx.input(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
