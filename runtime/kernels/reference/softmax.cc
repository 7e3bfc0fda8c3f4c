// Softmax (ONNX Softmax, opset 13 semantics): normalised exponentials along one axis. The compiler
// lowers the older "flatten to 2-d" semantics into Reshape + Softmax + Reshape.
#include <cmath>

#include "kernels/kernel.h"

namespace vigil::kernels {
namespace {

struct SoftmaxShape {
  int64_t outer, length, inner;
};

Status ReadShape(KernelContext& ctx, SoftmaxShape* s) {
  const Shape& shape = ctx.input(0).shape;
  int axis = ctx.params<schema::AxisParams>()->axis();
  if (axis < 0 || axis >= shape.rank || !(shape == ctx.output(0).shape)) {
    return ctx.Fail(Status::kInvalidModel, "axis %d out of range, or output shape differs", axis);
  }
  s->outer = 1;
  s->inner = 1;
  for (int d = 0; d < axis; ++d) s->outer *= shape.dims[d];
  for (int d = axis + 1; d < shape.rank; ++d) s->inner *= shape.dims[d];
  s->length = shape.dims[axis];
  return Status::kOk;
}

Status EvalFloat(KernelContext& ctx) {
  SoftmaxShape s;
  (void)ReadShape(ctx, &s);
  const float* x = ctx.input(0).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t i = 0; i < s.inner; ++i) {
      const int64_t base = o * s.length * s.inner + i;
      float max_value = x[base];
      for (int64_t k = 1; k < s.length; ++k) max_value = std::fmax(max_value, x[base + k * s.inner]);
      float sum = 0.0f;
      for (int64_t k = 0; k < s.length; ++k) {
        const float e = std::exp(x[base + k * s.inner] - max_value);
        y[base + k * s.inner] = e;
        sum += e;
      }
      for (int64_t k = 0; k < s.length; ++k) y[base + k * s.inner] /= sum;
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareSoftmax(KernelContext& ctx) {
  SoftmaxShape s;
  if (Status st = ReadShape(ctx, &s); st != Status::kOk) return st;
  if (ctx.input(0).dtype != DType::kFloat32 || ctx.output(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
