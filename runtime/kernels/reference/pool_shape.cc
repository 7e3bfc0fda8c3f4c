#include "kernels/reference/pool_shape.h"

namespace vigil::kernels {

Status ReadPoolShape(KernelContext& ctx, PoolShape* s) {
  const auto* p = ctx.params<schema::PoolParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  const int rank = x.shape.rank;
  if ((rank != 3 && rank != 4) || y.shape.rank != rank || y.shape.dims[0] != x.shape.dims[0] ||
      y.shape.dims[1] != x.shape.dims[1]) {
    return ctx.Fail(Status::kInvalidModel,
                    "input and output must be NC(H)W of rank 3 or 4 with equal N and C");
  }
  if (x.dtype != y.dtype) return ctx.Fail(Status::kInvalidModel, "input and output dtypes differ");
  WindowGeometry& g = s->g;
  if (!ReadWindowParams(rank, p->strides(), p->pads(), p->dilations(), nullptr, &g) ||
      p->kernel() == nullptr || static_cast<int>(p->kernel()->size()) != rank - 2) {
    return ctx.Fail(Status::kInvalidModel, "bad kernel, strides, pads or dilations");
  }
  g.kernel_h = rank == 4 ? p->kernel()->Get(0) : 1;
  g.kernel_w = p->kernel()->Get(static_cast<uint32_t>(rank - 3));
  if (g.kernel_h < 1 || g.kernel_w < 1 || g.kernel_h > (1 << 16) || g.kernel_w > (1 << 16)) {
    return ctx.Fail(Status::kInvalidModel, "kernel sizes must be positive");
  }
  s->planes = x.shape.dims[0] * x.shape.dims[1];
  SpatialDims(x.shape, &g.in_h, &g.in_w);
  SpatialDims(y.shape, &g.out_h, &g.out_w);
  auto length_ok = [](int64_t out, int64_t in, int64_t k, int64_t st, int64_t d, int64_t pb,
                      int64_t pe) {
    int64_t floor_len = WindowOutputLength(in, k, st, d, pb, pe, false);
    int64_t ceil_len = WindowOutputLength(in, k, st, d, pb, pe, true);
    // In ceil mode the last window must still start inside the input or its leading pad.
    if (ceil_len > floor_len && (ceil_len - 1) * st >= in + pb) ceil_len = floor_len;
    return out == floor_len || out == ceil_len;
  };
  if (!length_ok(g.out_h, g.in_h, g.kernel_h, g.stride_h, g.dilation_h, g.pad_top, g.pad_bottom) ||
      !length_ok(g.out_w, g.in_w, g.kernel_w, g.stride_w, g.dilation_w, g.pad_left, g.pad_right)) {
    return ctx.Fail(Status::kInvalidModel,
                    "output size does not follow from the window parameters");
  }
  // Every window must see at least one input position: a window wholly in padding has no maximum
  // and no average. Each axis is checked on its own (a window covers input iff it does on both).
  auto every_window_sees_input = [](int64_t out, int64_t in, int64_t k, int64_t st, int64_t d,
                                    int64_t pb) {
    for (int64_t o = 0; o < out; ++o) {
      bool sees = false;
      for (int64_t j = 0; j < k && !sees; ++j) {
        const int64_t i = o * st - pb + j * d;
        sees = i >= 0 && i < in;
      }
      if (!sees) return false;
    }
    return true;
  };
  if (!every_window_sees_input(g.out_h, g.in_h, g.kernel_h, g.stride_h, g.dilation_h, g.pad_top) ||
      !every_window_sees_input(g.out_w, g.in_w, g.kernel_w, g.stride_w, g.dilation_w, g.pad_left)) {
    return ctx.Fail(Status::kInvalidModel, "a pooling window lies wholly in the padding");
  }
  return Status::kOk;
}

}  // namespace vigil::kernels
