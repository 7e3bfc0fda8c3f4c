// ConvTranspose (ONNX ConvTranspose): 1-d and 2-d, stride, pads, dilation, output padding, groups,
// optional bias, fused activation. Weights [C, M/group, kH, kW]. The compiler turns an
// `output_shape` attribute into pads, so the output size is always
//   stride * (in - 1) + output_padding + dilation * (kernel - 1) + 1 - pad_begin - pad_end.

#include "kernels/kernel.h"
#include "kernels/reference/fused_activation.h"
#include "kernels/reference/weighted_int8.h"
#include "kernels/reference/window_geometry.h"

namespace vigil::kernels {
namespace {

struct ConvTransposeShape {
  WindowGeometry g;
  int32_t batch, in_channels, out_channels, group;
  FusedActivation activation;
};

int64_t TransposedLength(int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                         int64_t pad_begin, int64_t pad_end, int64_t output_padding) {
  return stride * (in - 1) + output_padding + dilation * (kernel - 1) + 1 - pad_begin - pad_end;
}

Status ReadShape(KernelContext& ctx, ConvTransposeShape* c) {
  const auto* p = ctx.params<schema::ConvParams>();
  TensorView x = ctx.input(0), w = ctx.input(1), y = ctx.output(0);
  const int rank = x.shape.rank;
  if ((rank != 3 && rank != 4) || w.shape.rank != rank || y.shape.rank != rank) {
    return ctx.Fail(Status::kInvalidModel, "input, weight and output must all be rank 3 or 4");
  }
  WindowGeometry& g = c->g;
  if (!ReadWindowParams(rank, p->strides(), p->pads(), p->dilations(), p->output_padding(), &g,
                        /*negative_pads_allowed=*/true) ||
      g.output_pad_h >= (g.stride_h > g.dilation_h ? g.stride_h : g.dilation_h) ||
      g.output_pad_w >= (g.stride_w > g.dilation_w ? g.stride_w : g.dilation_w)) {
    return ctx.Fail(Status::kInvalidModel, "bad strides, pads, dilations or output padding");
  }
  c->batch = x.shape.dims[0];
  c->in_channels = x.shape.dims[1];
  c->group = p->group();
  if (c->group < 1 || c->in_channels % c->group != 0 || w.shape.dims[0] != c->in_channels) {
    return ctx.Fail(Status::kInvalidModel,
                    "weight must be [C, M/group, ...] with group dividing C");
  }
  c->out_channels = w.shape.dims[1] * c->group;
  c->activation = FusedActivation::From(p->activation());
  if (!c->activation.Valid()) return ctx.Fail(Status::kInvalidModel, "bad fused activation");
  SpatialDims(x.shape, &g.in_h, &g.in_w);
  SpatialDims(w.shape, &g.kernel_h, &g.kernel_w);
  SpatialDims(y.shape, &g.out_h, &g.out_w);
  int64_t out_h = TransposedLength(g.in_h, g.kernel_h, g.stride_h, g.dilation_h, g.pad_top,
                                   g.pad_bottom, g.output_pad_h);
  int64_t out_w = TransposedLength(g.in_w, g.kernel_w, g.stride_w, g.dilation_w, g.pad_left,
                                   g.pad_right, g.output_pad_w);
  if (y.shape.dims[0] != c->batch || y.shape.dims[1] != c->out_channels || g.out_h != out_h ||
      g.out_w != out_w) {
    return ctx.Fail(Status::kInvalidModel,
                    "output shape does not follow from input, weight and parameters "
                    "(expected %d channels, spatial %lldx%lld)",
                    static_cast<int>(c->out_channels), static_cast<long long>(out_h),
                    static_cast<long long>(out_w));
  }
  if (ctx.has_input(2)) {
    TensorView b = ctx.input(2);
    if (b.shape.rank != 1 || b.shape.dims[0] != c->out_channels) {
      return ctx.Fail(Status::kInvalidModel, "bias must have shape [%d]",
                      static_cast<int>(c->out_channels));
    }
  }
  return Status::kOk;
}

// Gathers, for each output element, the input elements whose windows cover it, so every output is
// written exactly once and the loop needs no scratch accumulator.
Status EvalFloat(KernelContext& ctx) {
  ConvTransposeShape c;
  (void)ReadShape(ctx, &c);
  const WindowGeometry& g = c.g;
  const float* x = ctx.input(0).data_as<const float>();
  const float* w = ctx.input(1).data_as<const float>();
  const float* bias = ctx.has_input(2) ? ctx.input(2).data_as<const float>() : nullptr;
  float* y = ctx.output(0).data_as<float>();
  const int32_t in_per_group = c.in_channels / c.group;
  const int32_t out_per_group = c.out_channels / c.group;
  for (int32_t n = 0; n < c.batch; ++n) {
    for (int32_t m = 0; m < c.out_channels; ++m) {
      const int32_t grp = m / out_per_group, m_in_group = m % out_per_group;
      for (int32_t oh = 0; oh < g.out_h; ++oh) {
        for (int32_t ow = 0; ow < g.out_w; ++ow) {
          float acc = bias ? bias[m] : 0.0f;
          for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
            const int32_t th = oh + g.pad_top - kh * g.dilation_h;  // = ih * stride
            if (th < 0 || th % g.stride_h != 0 || th / g.stride_h >= g.in_h) continue;
            const int32_t ih = th / g.stride_h;
            for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
              const int32_t tw = ow + g.pad_left - kw * g.dilation_w;
              if (tw < 0 || tw % g.stride_w != 0 || tw / g.stride_w >= g.in_w) continue;
              const int32_t iw = tw / g.stride_w;
              for (int32_t ci = 0; ci < in_per_group; ++ci) {
                const int32_t c_in = grp * in_per_group + ci;
                const float xv =
                    x[((static_cast<int64_t>(n) * c.in_channels + c_in) * g.in_h + ih) * g.in_w +
                      iw];
                const float wv =
                    w[((static_cast<int64_t>(c_in) * out_per_group + m_in_group) * g.kernel_h +
                       kh) *
                          g.kernel_w +
                      kw];
                acc += xv * wv;
              }
            }
          }
          y[((static_cast<int64_t>(n) * c.out_channels + m) * g.out_h + oh) * g.out_w + ow] =
              c.activation.Apply(acc);
        }
      }
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.2: the gather of EvalFloat in int32, requantized per output channel.
Status EvalInt8(KernelContext& ctx) {
  ConvTransposeShape c;
  (void)ReadShape(ctx, &c);
  const WindowGeometry& g = c.g;
  const WeightedInt8Operands op = ReadWeightedInt8Operands(ctx);
  const int32_t in_per_group = c.in_channels / c.group;
  const int32_t out_per_group = c.out_channels / c.group;
  for (int32_t n = 0; n < c.batch; ++n) {
    for (int32_t m = 0; m < c.out_channels; ++m) {
      const int32_t grp = m / out_per_group, m_in_group = m % out_per_group;
      const Requantizer requantize = op.ForChannel(m);
      for (int32_t oh = 0; oh < g.out_h; ++oh) {
        for (int32_t ow = 0; ow < g.out_w; ++ow) {
          int64_t acc = op.bias ? op.bias[m] : 0;  // int64, saturated: see conv.cc
          for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
            const int32_t th = oh + g.pad_top - kh * g.dilation_h;
            if (th < 0 || th % g.stride_h != 0 || th / g.stride_h >= g.in_h) continue;
            const int32_t ih = th / g.stride_h;
            for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
              const int32_t tw = ow + g.pad_left - kw * g.dilation_w;
              if (tw < 0 || tw % g.stride_w != 0 || tw / g.stride_w >= g.in_w) continue;
              const int32_t iw = tw / g.stride_w;
              for (int32_t ci = 0; ci < in_per_group; ++ci) {
                const int32_t c_in = grp * in_per_group + ci;
                const int32_t xq =
                    op.x[((static_cast<int64_t>(n) * c.in_channels + c_in) * g.in_h + ih) * g.in_w +
                         iw] -
                    op.zp_x;
                acc +=
                    xq *
                    op.w[((static_cast<int64_t>(c_in) * out_per_group + m_in_group) * g.kernel_h +
                          kh) *
                             g.kernel_w +
                         kw];
              }
            }
          }
          op.y[((static_cast<int64_t>(n) * c.out_channels + m) * g.out_h + oh) * g.out_w + ow] =
              requantize(Saturate32(acc));
        }
      }
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareConvTranspose(KernelContext& ctx) {
  ConvTransposeShape c;
  if (Status s = ReadShape(ctx, &c); s != Status::kOk) return s;
  if (ctx.input(0).dtype == DType::kInt8) {
    // Per-channel scales run along axis 1 (output channels of a group), so only for one group.
    TensorView w = ctx.input(1);
    const int32_t channels = w.quant.count == 1 ? 1 : c.out_channels;
    if (c.group != 1 && w.quant.count != 1)
      return ctx.Fail(Status::kInvalidModel, "grouped int8 ConvTranspose needs one weight scale");
    if (Status s = PrepareWeightedInt8(ctx, channels, 1, c.activation); s != Status::kOk) return s;
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
