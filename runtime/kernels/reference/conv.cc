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
    return ctx.Fail(Status::kInvalidModel,
                    "group %d does not divide %d input and %d output channels "
                    "with %d weight channels",
                    static_cast<int>(c->group), static_cast<int>(c->in_channels),
                    static_cast<int>(c->out_channels), static_cast<int>(w.shape.dims[1]));
  }
  if (!c->activation.Valid()) return ctx.Fail(Status::kInvalidModel, "bad fused activation");
  WindowGeometry& g = c->g;
  SpatialDims(x.shape, &g.in_h, &g.in_w);
  SpatialDims(w.shape, &g.kernel_h, &g.kernel_w);
  int64_t out_h = WindowOutputLength(g.in_h, g.kernel_h, g.stride_h, g.dilation_h, g.pad_top,
                                     g.pad_bottom, false);
  int64_t out_w = WindowOutputLength(g.in_w, g.kernel_w, g.stride_w, g.dilation_w, g.pad_left,
                                     g.pad_right, false);
  SpatialDims(y.shape, &g.out_h, &g.out_w);
  if (y.shape.dims[0] != c->batch || y.shape.dims[1] != c->out_channels || g.out_h != out_h ||
      g.out_w != out_w) {
    return ctx.Fail(Status::kInvalidModel,
                    "output shape does not follow from input, weight and parameters "
                    "(expected spatial %lldx%lld)",
                    static_cast<long long>(out_h), static_cast<long long>(out_w));
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
      for (int64_t i = 0; i < out_plane; ++i)
        y_m[i] = start;
      const int32_t first_in = (m / out_per_group) * in_per_group;
      for (int32_t ci = 0; ci < in_per_group; ++ci) {
        const float* x_c =
            x + (static_cast<int64_t>(n) * c.in_channels + first_in + ci) * g.in_h * g.in_w;
        const float* w_c =
            w + (static_cast<int64_t>(m) * in_per_group + ci) * g.kernel_h * g.kernel_w;
        for (int32_t kh = 0; kh < g.kernel_h; ++kh) {
          for (int32_t kw = 0; kw < g.kernel_w; ++kw) {
            const float weight = w_c[kh * g.kernel_w + kw];
            // Outputs ow whose input column iw = ow * stride - pad + kw * dilation lies in [0, in_w).
            const int32_t shift = kw * g.dilation_w - g.pad_left;
            const int32_t ow_begin = shift >= 0 ? 0 : (-shift + g.stride_w - 1) / g.stride_w;
            const int32_t last_iw = g.in_w - 1 - shift;
            const int32_t ow_end =
                last_iw < 0
                    ? 0
                    : (last_iw / g.stride_w + 1 < g.out_w ? last_iw / g.stride_w + 1 : g.out_w);
            for (int32_t oh = 0; oh < g.out_h; ++oh) {
              const int32_t ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
              if (ih < 0 || ih >= g.in_h) continue;
              const float* x_row = x_c + static_cast<int64_t>(ih) * g.in_w + shift;
              float* y_row = y_m + static_cast<int64_t>(oh) * g.out_w;
              if (g.stride_w == 1) {  // the common case, contiguous: the compiler vectorises it
                for (int32_t ow = ow_begin; ow < ow_end; ++ow)
                  y_row[ow] += weight * x_row[ow];
              } else {
                for (int32_t ow = ow_begin; ow < ow_end; ++ow)
                  y_row[ow] += weight * x_row[ow * g.stride_w];
              }
            }
          }
        }
      }
      for (int64_t i = 0; i < out_plane; ++i)
        y_m[i] = c.activation.Apply(y_m[i]);
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.1. Like EvalFloat, whole stretches of an output row accumulate tap by tap,
// here in a block on the stack (the arena plan has no scratch for it), then requantize.
constexpr int32_t kInt8Block = 64;  // outputs of one row accumulated together

// Outputs whose receptive field has at most kInt32SafeTerms values (a 3x3 convolution over up to
// 7,310 input channels) accumulate in int32, which is cheaper everywhere and vectorises on x86;
// larger ones in int64. Both are the exact sum, so the result is the same either way.
//
// Sums (x - zp_x) * w over the receptive field of outputs ow0 .. ow0 + count - 1 of row oh of
// output channel m into acc.
template <typename Acc>
void AccumulateBlock(const ConvShape& c, const int8_t* x_n, const int8_t* w_m, int32_t first_in,
                     int32_t zp_x, int32_t oh, int32_t ow0, int32_t count, Acc* __restrict acc) {
  const WindowGeometry& g = c.g;
  const int32_t in_per_group = c.in_channels / c.group;
  for (int32_t i = 0; i < count; ++i)
    acc[i] = 0;
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
          for (int32_t i = begin; i < end; ++i)
            acc[i] += static_cast<Acc>((x_row[i] - zp_x) * weight);
        } else {
          for (int32_t i = begin; i < end; ++i)
            acc[i] += static_cast<Acc>((x_row[i * g.stride_w] - zp_x) * weight);
        }
      }
    }
  }
}

Status EvalInt8(KernelContext& ctx) {
  ConvShape c;
  (void)ReadConvShape(ctx, &c);
  const WindowGeometry& g = c.g;
  const WeightedInt8Operands op = ReadWeightedInt8Operands(ctx);
  const int32_t in_per_group = c.in_channels / c.group;
  const int32_t out_per_group = c.out_channels / c.group;
  const bool int32_suffices =
      static_cast<int64_t>(in_per_group) * g.kernel_h * g.kernel_w <= kInt32SafeTerms;
  int32_t sum32[kInt8Block];
  int64_t sum[kInt8Block];
  for (int32_t n = 0; n < c.batch; ++n) {
    const int8_t* x_n = op.x + static_cast<int64_t>(n) * c.in_channels * g.in_h * g.in_w;
    for (int32_t m = 0; m < c.out_channels; ++m) {
      const int32_t first_in = (m / out_per_group) * in_per_group;
      const int8_t* w_m = op.w + static_cast<int64_t>(m) * in_per_group * g.kernel_h * g.kernel_w;
      const Requantizer requantize = op.ForChannel(m);
      const int64_t b = op.bias ? op.bias[m] : 0;
      int8_t* y_m = op.y + (static_cast<int64_t>(n) * c.out_channels + m) * g.out_h * g.out_w;
      for (int32_t oh = 0; oh < g.out_h; ++oh) {
        for (int32_t ow0 = 0; ow0 < g.out_w; ow0 += kInt8Block) {
          const int32_t count = g.out_w - ow0 < kInt8Block ? g.out_w - ow0 : kInt8Block;
          if (int32_suffices) {
            AccumulateBlock(c, x_n, w_m, first_in, op.zp_x, oh, ow0, count, sum32);
            for (int32_t i = 0; i < count; ++i)
              sum[i] = sum32[i];
          } else {
            AccumulateBlock(c, x_n, w_m, first_in, op.zp_x, oh, ow0, count, sum);
          }
          // Saturated before requantizing: a hostile file's sum may not fit int32 (the compiler's
          // models always do, and then saturation changes nothing).
          for (int32_t i = 0; i < count; ++i) {
            y_m[static_cast<int64_t>(oh) * g.out_w + ow0 + i] = requantize(Saturate32(b + sum[i]));
          }
        }
      }
    }
  }
  return Status::kOk;
}

// A faster path for 1-d convolutions with stride 1 and dilation 1, the ECG models' shape. The path
// above adds one tap at a time to rows of at most 64 outputs and widens int8 to int32 in its
// innermost loop: 7.5 to 9 instructions per MAC on x86-64 with SSE2. Here a window of input
// positions is copied once, centred ((x - zp_x) as int16) and channels last, into a stack buffer,
// and the weights of an output channel are reordered the same way (tap-major). The receptive field
// of each output is then one contiguous run of kernel_w x channels values, and the output one int16
// dot product summed in int32, which GCC vectorises with pmaddwd (and for Cortex-M4 compiles to one
// smlabb per MAC). Positions in the padding hold 0, which adds what skipping them adds: the sums
// are the same exact integers, so the outputs are the same bits.
constexpr int32_t kWindowValues = 2048;  // int16 input values of one window: 4 KiB of stack
constexpr int32_t kFieldValues = 512;    // int16 weights of one output channel: 1 KiB of stack
// Dot products run over whole vectors of 8 int16 (an SSE2 register), so short fields (2 channels x
// 7 taps) need no scalar remainder: the weights past the field are 0, and so are the kDotStep
// window values past the last position (any finite value would do; 0 keeps them initialised).
constexpr int32_t kDotStep = 8;
// Outputs summed together, so that each load of the weights serves all of them. A window holds a
// whole number of such passes; a last pass past the end of the row reads positions outside the
// input, which hold 0, and its extra outputs are not stored.
constexpr int32_t kOutputsPerPass = 4;
// The sums of a window's outputs are requantized in a loop of their own once all are summed:
// requantizing each pass's four sums inside the pass loop left GCC short of registers, and it
// reloaded the Requantizer from the stack for every output (the ECG model ran 17 % slower). A window
// holds at most kRowOutputs outputs, so their sums take 512 bytes of stack.
constexpr int32_t kRowOutputs = 128;
static_assert(kRowOutputs % kOutputsPerPass == 0);
// A field that fits leaves room in the window for at least one pass (channels <= field, so
// channels x (kernel_w + kOutputsPerPass - 1) <= kOutputsPerPass x field), and its int32 sum cannot
// overflow.
static_assert(kOutputsPerPass * kFieldValues <= kWindowValues && kFieldValues <= kInt32SafeTerms);
static_assert(kFieldValues % kDotStep == 0);

bool FitsChannelsLast(const ConvShape& c) {
  const WindowGeometry& g = c.g;
  const bool one_row = g.in_h == 1 && g.kernel_h == 1 && g.out_h == 1 && g.pad_top == 0;
  return one_row && g.stride_w == 1 && g.dilation_w == 1 &&
         static_cast<int64_t>(c.in_channels / c.group) * g.kernel_w <= kFieldValues;
}

// window[p * channels + ci] = x[ci][first_iw + p] - zp_x for p < positions (0 outside the row),
// followed by kDotStep zeros.
void LoadWindow(const int8_t* x, int32_t channels, int32_t in_w, int32_t first_iw,
                int32_t positions, int32_t zp_x, int16_t* __restrict window) {
  // Positions [begin, end) lie inside the row.
  const int32_t begin = Clamp(-static_cast<int64_t>(first_iw), 0, positions);
  const int32_t end = Clamp(static_cast<int64_t>(in_w) - first_iw, begin, positions);
  for (int32_t j = 0; j < begin * channels; ++j)
    window[j] = 0;
  for (int32_t j = end * channels; j < positions * channels + kDotStep; ++j)
    window[j] = 0;
  for (int32_t ci = 0; ci < channels; ++ci) {
    const int8_t* x_c = x + static_cast<int64_t>(ci) * in_w;
    for (int32_t p = begin; p < end; ++p) {
      window[p * channels + ci] = static_cast<int16_t>(x_c[first_iw + p] - zp_x);
    }
  }
}

// sums[o] = the sum of a[o * stride + j] * b[j] over j < n, for o < kOutputsPerPass: int16 operands
// and int32 sums, the pattern GCC vectorises with pmaddwd.
void DotProducts(const int16_t* a, int32_t stride, const int16_t* b, int32_t n,
                 int32_t sums[kOutputsPerPass]) {
  static_assert(kOutputsPerPass == 4, "one sum variable per output");
  int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int32_t j = 0; j < n; ++j) {
    const int32_t bj = b[j];
    s0 += a[j] * bj;
    s1 += a[stride + j] * bj;
    s2 += a[2 * stride + j] * bj;
    s3 += a[3 * stride + j] * bj;
  }
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  sums[3] = s3;
}

Status EvalInt8ChannelsLast(KernelContext& ctx) {
  ConvShape c;
  (void)ReadConvShape(ctx, &c);
  const WindowGeometry& g = c.g;
  const WeightedInt8Operands op = ReadWeightedInt8Operands(ctx);
  const int32_t channels = c.in_channels / c.group;  // of one group
  const int32_t out_per_group = c.out_channels / c.group;
  const int32_t taps = g.kernel_w;
  const int32_t field = channels * taps;
  const int32_t field_steps = (field + kDotStep - 1) / kDotStep * kDotStep;
  // Outputs per window, in whole passes: at least one, by FitsChannelsLast and the static_asserts.
  const int32_t window_outputs = Clamp(
      (kWindowValues / channels - (taps - 1)) / kOutputsPerPass * kOutputsPerPass, 0, kRowOutputs);
  int32_t row_sums[kRowOutputs];
  int16_t window[kWindowValues + kDotStep];
  int16_t weights[kFieldValues];
  for (int32_t j = field; j < field_steps; ++j)
    weights[j] = 0;
  for (int32_t n = 0; n < c.batch; ++n) {
    for (int32_t group = 0; group < c.group; ++group) {
      const int8_t* x_g =
          op.x + (static_cast<int64_t>(n) * c.in_channels + group * channels) * g.in_w;
      for (int32_t ow0 = 0; ow0 < g.out_w; ow0 += window_outputs) {
        const int32_t count = g.out_w - ow0 < window_outputs ? g.out_w - ow0 : window_outputs;
        const int32_t passes = (count + kOutputsPerPass - 1) / kOutputsPerPass;
        const int32_t positions = passes * kOutputsPerPass + taps - 1;
        LoadWindow(x_g, channels, g.in_w, ow0 - g.pad_left, positions, op.zp_x, window);
        for (int32_t m = group * out_per_group; m < (group + 1) * out_per_group; ++m) {
          const int8_t* w_m = op.w + static_cast<int64_t>(m) * field;
          for (int32_t k = 0; k < taps; ++k) {
            for (int32_t ci = 0; ci < channels; ++ci) {
              weights[k * channels + ci] = w_m[ci * taps + k];
            }
          }
          const Requantizer requantize = op.ForChannel(m);
          const int64_t b = op.bias ? op.bias[m] : 0;
          int8_t* y_m = op.y + (static_cast<int64_t>(n) * c.out_channels + m) * g.out_w + ow0;
          for (int32_t i = 0; i < count; i += kOutputsPerPass) {
            DotProducts(window + i * channels, channels, weights, field_steps, row_sums + i);
          }
          // |b + row_sums[i]| < 2^32: the bias is int32 and so is the field's sum (static_assert).
          for (int32_t i = 0; i < count; ++i)
            y_m[i] = requantize(b + row_sums[i]);
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
    ctx.set_eval(FitsChannelsLast(c) ? EvalInt8ChannelsLast : EvalInt8);
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
