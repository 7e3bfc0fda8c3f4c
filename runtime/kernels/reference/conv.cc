// Conv (ONNX Conv): 1-d and 2-d, stride, asymmetric padding, dilation, groups (depthwise included),
// optional bias, fused activation. Layout NCHW / NCW; weights [M, C/group, kH, kW] / [M, C/group, kW].
#include "kernels/kernel.h"
#include "kernels/reference/fused_activation.h"
#include "kernels/reference/weighted_int8.h"
#include "kernels/reference/window_geometry.h"

namespace vigil::kernels {
namespace {

struct ConvShape {
  WindowGeometry g;
  int32_t batch, in_channels, out_channels, group;
  FusedActivation activation;
};

Status ReadConvShape(KernelContext& ctx, ConvShape* c) {
  const auto* p = ctx.params<schema::ConvParams>();
  TensorView x = ctx.input(0), w = ctx.input(1), y = ctx.output(0);
  const int rank = x.shape.rank;
  if ((rank != 3 && rank != 4) || w.shape.rank != rank || y.shape.rank != rank) {
    return ctx.Fail(Status::kInvalidModel, "input, weight and output must all be rank 3 or 4");
  }
  if (!ReadWindowParams(rank, p->strides(), p->pads(), p->dilations(), nullptr, &c->g)) {
    return ctx.Fail(Status::kInvalidModel, "bad strides, pads or dilations");
  }
  c->batch = x.shape.dims[0];
  c->in_channels = x.shape.dims[1];
  c->out_channels = w.shape.dims[0];
  c->group = p->group();
  c->activation = FusedActivation::From(p->activation());
  if (c->group < 1 || c->in_channels % c->group != 0 || c->out_channels % c->group != 0 ||
      w.shape.dims[1] != c->in_channels / c->group) {
    return ctx.Fail(Status::kInvalidModel, "group %d does not divide %d input and %d output channels "
                    "with %d weight channels", static_cast<int>(c->group), static_cast<int>(c->in_channels),
                    static_cast<int>(c->out_channels), static_cast<int>(w.shape.dims[1]));
  }
  if (!c->activation.Valid()) return ctx.Fail(Status::kInvalidModel, "bad fused activation");
  WindowGeometry& g = c->g;
  SpatialDims(x.shape, &g.in_h, &g.in_w);
  SpatialDims(w.shape, &g.kernel_h, &g.kernel_w);
  int64_t out_h = WindowOutputLength(g.in_h, g.kernel_h, g.stride_h, g.dilation_h, g.pad_top, g.pad_bottom, false);
  int64_t out_w = WindowOutputLength(g.in_w, g.kernel_w, g.stride_w, g.dilation_w, g.pad_left, g.pad_right, false);
  SpatialDims(y.shape, &g.out_h, &g.out_w);
  if (y.shape.dims[0] != c->batch || y.shape.dims[1] != c->out_channels || g.out_h != out_h || g.out_w != out_w) {
    return ctx.Fail(Status::kInvalidModel, "output shape does not follow from input, weight and parameters "
                    "(expected spatial %lldx%lld)", static_cast<long long>(out_h), static_cast<long long>(out_w));
  }
  if (ctx.has_input(2)) {
    TensorView b = ctx.input(2);
    if (b.shape.rank != 1 || b.shape.dims[0] != c->out_channels) {
      return ctx.Fail(Status::kInvalidModel, "bias must have shape [%d]", static_cast<int>(c->out_channels));
    }
  }
  return Status::kOk;
}

// Accumulates whole output rows: for each weight tap, every output position whose input sample
// exists gets weight x input added. The innermost loop runs over contiguous outputs, which keeps it
// simple to read and lets the compiler vectorise it; each output starts at its bias and gets its
// activation once all taps are in.
Status EvalFloat(KernelContext& ctx) {
  ConvShape c;
  (void)ReadConvShape(ctx, &c);  // Prepare proved it succeeds
  const WindowGeometry& g = c.g;
  const float* x = ctx.input(0).data_as<const float>();
  const float* w = ctx.input(1).data_as<const float>();
  const float* bias = ctx.has_input(2) ? ctx.input(2).data_as<const float>() : nullptr;
  float* y = ctx.output(0).data_as<float>();
  const int32_t in_per_group = c.in_channels / c.group;
  const int32_t out_per_group = c.out_channels / c.group;
  const int64_t out_plane = static_cast<int64_t>(g.out_h) * g.out_w;
  for (int32_t n = 0; n < c.batch; ++n) {
    for (int32_t m = 0; m < c.out_channels; ++m) {
      float* y_m = y + (static_cast<int64_t>(n) * c.out_channels + m) * out_plane;
      const float start = bias ? bias[m] : 0.0f;
      for (int64_t i = 0; i < out_plane; ++i) y_m[i] = start;
      const int32_t first_in = (m / out_per_group) * in_per_group;
      for (int32_t ci = 0; ci < in_per_group; ++ci) {
        const float* x_c = x + (static_cast<int64_t>(n) * c.in_channels + first_in + ci) * g.in_h * g.in_w;
        const float* w_c = w + (static_cast<int64_t>(m) * in_per_group + ci) * g.kernel_h * g.kernel_w;
        for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
          for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
            const float weight = w_c[kh * g.kernel_w + kw];
            // Outputs ow whose input column iw = ow * stride - pad + kw * dilation lies in [0, in_w).
            const int32_t shift = kw * g.dilation_w - g.pad_left;
            const int32_t ow_begin = shift >= 0 ? 0 : (-shift + g.stride_w - 1) / g.stride_w;
            const int32_t last_iw = g.in_w - 1 - shift;
            const int32_t ow_end = last_iw < 0 ? 0 : (last_iw / g.stride_w + 1 < g.out_w ? last_iw / g.stride_w + 1 : g.out_w);
            for (int32_t oh = 0; oh < g.out_h; ++oh) {
              const int32_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
              if (ih < 0 || ih >= g.in_h) continue;
              const float* x_row = x_c + static_cast<int64_t>(ih) * g.in_w + shift;
              float* y_row = y_m + static_cast<int64_t>(oh) * g.out_w;
              if (g.stride_w == 1) {  // the common case, contiguous: the compiler vectorises it
                for (int32_t ow = ow_begin; ow < ow_end; ++ow) y_row[ow] += weight * x_row[ow];
              } else {
                for (int32_t ow = ow_begin; ow < ow_end; ++ow) y_row[ow] += weight * x_row[ow * g.stride_w];
              }
            }
          }
        }
      }
      for (int64_t i = 0; i < out_plane; ++i) y_m[i] = c.activation.Apply(y_m[i]);
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.1. Like EvalFloat, whole stretches of an output row accumulate tap by tap,
// here in a block on the stack (the arena plan has no scratch for it), then requantize.
constexpr int32_t kInt8Block = 64;  // outputs of one row accumulated together

// Each product (x - zp_x) * w lies in [-32640, 32640] (|x - zp_x| <= 255, |w| <= 128), so an int32 sum
// of at most kInt32SafeTerms (65,793) of them cannot overflow. Outputs whose receptive field is that
// small (a 3x3 convolution over up to 7,310 input channels) accumulate in int32, which is cheaper
// everywhere and vectorises on x86; larger ones in int64. Both are the exact sum, so the result is the
// same either way.
constexpr int64_t kInt32SafeTerms = INT32_MAX / 32640;

// Sums (x - zp_x) * w over the receptive field of outputs ow0 .. ow0 + count - 1 of row oh of output
// channel m into acc.
template <typename Acc>
void AccumulateBlock(const ConvShape& c, const int8_t* x_n, const int8_t* w_m, int32_t first_in, int32_t zp_x,
                     int32_t oh, int32_t ow0, int32_t count, Acc* __restrict acc) {
  const WindowGeometry& g = c.g;
  const int32_t in_per_group = c.in_channels / c.group;
  for (int32_t i = 0; i < count; ++i) acc[i] = 0;
  for (int32_t ci = 0; ci < in_per_group; ++ci) {
    const int8_t* x_c = x_n + static_cast<int64_t>(first_in + ci) * g.in_h * g.in_w;
    const int8_t* w_c = w_m + static_cast<int64_t>(ci) * g.kernel_h * g.kernel_w;
    for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
      const int32_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
      if (ih < 0 || ih >= g.in_h) continue;
      for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
        const int32_t weight = w_c[kh * g.kernel_w + kw];
        // Outputs of this block whose input column lies inside the row.
        const int32_t shift = kw * g.dilation_w - g.pad_left;
        int32_t begin = shift >= 0 ? 0 : (-shift + g.stride_w - 1) / g.stride_w;
        const int32_t last_iw = g.in_w - 1 - shift;
        int32_t end = last_iw < 0 ? 0 : last_iw / g.stride_w + 1;
        begin = begin > ow0 ? begin - ow0 : 0;
        end = end - ow0 < count ? end - ow0 : count;
        const int8_t* x_row = x_c + static_cast<int64_t>(ih) * g.in_w + shift + ow0 * g.stride_w;
        if (g.stride_w == 1) {  // the common case, contiguous: the compiler vectorises it
          for (int32_t i = begin; i < end; ++i) acc[i] += static_cast<Acc>((x_row[i] - zp_x) * weight);
        } else {
          for (int32_t i = begin; i < end; ++i) acc[i] += static_cast<Acc>((x_row[i * g.stride_w] - zp_x) * weight);
        }
      }
    }
  }
}

Status EvalInt8(KernelContext& ctx) {
  ConvShape c;
  (void)ReadConvShape(ctx, &c);
  const WindowGeometry& g = c.g;
  auto* rq = static_cast<ChannelRequantization*>(ctx.op_data());
  TensorView xv = ctx.input(0), yv = ctx.output(0);
  const int8_t* x = xv.data_as<const int8_t>();
  const int8_t* w = ctx.input(1).data_as<const int8_t>();
  const int32_t* bias = ctx.has_input(2) ? ctx.input(2).data_as<const int32_t>() : nullptr;
  int8_t* y = yv.data_as<int8_t>();
  const int32_t zp_x = ZeroPointOf(xv), zp_y = ZeroPointOf(yv);
  const int32_t in_per_group = c.in_channels / c.group;
  const int32_t out_per_group = c.out_channels / c.group;
  const bool int32_suffices = static_cast<int64_t>(in_per_group) * g.kernel_h * g.kernel_w <= kInt32SafeTerms;
  int32_t sum32[kInt8Block];
  int64_t sum[kInt8Block];
  for (int32_t n = 0; n < c.batch; ++n) {
    const int8_t* x_n = x + static_cast<int64_t>(n) * c.in_channels * g.in_h * g.in_w;
    for (int32_t m = 0; m < c.out_channels; ++m) {
      const int32_t first_in = (m / out_per_group) * in_per_group;
      const int8_t* w_m = w + static_cast<int64_t>(m) * in_per_group * g.kernel_h * g.kernel_w;
      const QuantizedMultiplier multiplier = rq->multipliers()[rq->channels == 1 ? 0 : m];
      const int64_t b = bias ? bias[m] : 0;
      int8_t* y_m = y + (static_cast<int64_t>(n) * c.out_channels + m) * g.out_h * g.out_w;
      for (int32_t oh = 0; oh < g.out_h; ++oh) {
        for (int32_t ow0 = 0; ow0 < g.out_w; ow0 += kInt8Block) {
          const int32_t count = g.out_w - ow0 < kInt8Block ? g.out_w - ow0 : kInt8Block;
          if (int32_suffices) {
            AccumulateBlock(c, x_n, w_m, first_in, zp_x, oh, ow0, count, sum32);
            for (int32_t i = 0; i < count; ++i) sum[i] = sum32[i];
          } else {
            AccumulateBlock(c, x_n, w_m, first_in, zp_x, oh, ow0, count, sum);
          }
          // Saturated before requantizing: a hostile file's sum may not fit int32 (the compiler's
          // models always do, and then saturation changes nothing).
          for (int32_t i = 0; i < count; ++i) {
            y_m[static_cast<int64_t>(oh) * g.out_w + ow0 + i] =
                Requantize(Saturate32(b + sum[i]), multiplier, zp_y, rq->range.lo, rq->range.hi);
          }
        }
      }
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareConv(KernelContext& ctx) {
  ConvShape c;
  if (Status s = ReadConvShape(ctx, &c); s != Status::kOk) return s;
  if (ctx.input(0).dtype == DType::kInt8) {
    const int32_t channels = ctx.input(1).quant.count == 1 ? 1 : c.out_channels;
    if (Status s = PrepareWeightedInt8(ctx, channels, 0, c.activation); s != Status::kOk) return s;
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
