// Softmax (ONNX Softmax, opset 13 semantics): normalised exponentials along one axis. The compiler
// lowers the older "flatten to 2-d" semantics into Reshape + Softmax + Reshape.
#include <cmath>

#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"

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
  for (int d = 0; d < axis; ++d)
    s->outer *= shape.dims[d];
  for (int d = axis + 1; d < shape.rank; ++d)
    s->inner *= shape.dims[d];
  s->length = shape.dims[axis];
  return Status::kOk;
}

Status EvalFloat(KernelContext& ctx) {
  SoftmaxShape s;
  (void)ReadShape(ctx, &s);
  if (s.length == 0) return Status::kOk;  // an empty axis: no element to read, none to write
  const float* x = ctx.input(0).data_as<const float>();
  float* y = ctx.output(0).data_as<float>();
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t i = 0; i < s.inner; ++i) {
      const int64_t base = o * s.length * s.inner + i;
      float max_value = x[base];
      for (int64_t k = 1; k < s.length; ++k)
        max_value = std::fmax(max_value, x[base + k * s.inner]);
      float sum = 0.0f;
      for (int64_t k = 0; k < s.length; ++k) {
        const float e = std::exp(x[base + k * s.inner] - max_value);
        y[base + k * s.inner] = e;
        sum += e;
      }
      for (int64_t k = 0; k < s.length; ++k)
        y[base + k * s.inner] /= sum;
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.10: exp(s_x * (q - qmax)) from the model's Q16 table, normalised in integers
// onto the fixed output scale 1/256, zero point -128.
Status EvalInt8(KernelContext& ctx) {
  SoftmaxShape s;
  (void)ReadShape(ctx, &s);
  const int8_t* x = ctx.input(0).data_as<const int8_t>();
  const int32_t* table = ctx.input(1).data_as<const int32_t>();
  int8_t* y = ctx.output(0).data_as<int8_t>();
  // Prepare's check holds for a constant table only; one the caller fills is checked here, since a
  // zero sum would divide by zero and entries over 65536 overflow the row sum.
  for (int k = 0; k < 256; ++k) {
    if (table[k] < 0 || table[k] > 65536 || table[255] == 0) {
      return ctx.Fail(Status::kInvalidTensorData,
                      "exp table entry %d out of [0, 65536] (entry 255 must be > 0)", k);
    }
  }
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t i = 0; i < s.inner; ++i) {
      const int64_t base = o * s.length * s.inner + i;
      int32_t max_q = kInt8Min;
      for (int64_t k = 0; k < s.length; ++k)
        max_q = x[base + k * s.inner] > max_q ? x[base + k * s.inner] : max_q;
      int32_t sum = 0;
      for (int64_t k = 0; k < s.length; ++k)
        sum += table[x[base + k * s.inner] - max_q + 255];
      for (int64_t k = 0; k < s.length; ++k) {
        const int32_t e = table[x[base + k * s.inner] - max_q + 255];
        y[base + k * s.inner] =
            static_cast<int8_t>(Clamp((e * 256 + sum / 2) / sum - 128, kInt8Min, kInt8Max));
      }
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareSoftmax(KernelContext& ctx) {
  SoftmaxShape s;
  if (Status st = ReadShape(ctx, &s); st != Status::kOk) return st;
  if (ctx.input(0).dtype == DType::kInt8) {
    TensorView y = ctx.output(0);
    if (!IsPerTensorInt8(ctx.input(0)) || !IsPerTensorInt8(y) || ScaleOf(y) != 1.0f / 256.0f ||
        ZeroPointOf(y) != -128) {
      return ctx.Fail(Status::kInvalidModel,
                      "int8 Softmax needs its output at scale 1/256, zero point -128");
    }
    if (!ctx.has_input(1) || ctx.input(1).dtype != DType::kInt32 ||
        ctx.input(1).shape.ElementCount() != 256) {
      return ctx.Fail(Status::kInvalidModel,
                      "int8 Softmax needs its int32[256] exp table as input 1");
    }
    // Table entries are at most 65536: a row of up to 32767 of them cannot overflow int32.
    const int32_t* table = ctx.input(1).data_as<const int32_t>();
    for (int k = 0; k < 256; ++k) {
      if (table[k] < 0 || table[k] > 65536)
        return ctx.Fail(Status::kInvalidModel, "exp table entry %d out of [0, 65536]", k);
    }
    if (table[255] == 0 || s.length > 32767)
      return ctx.Fail(Status::kInvalidModel, "exp table or row length out of range");
    ctx.set_eval(EvalInt8);
    return Status::kOk;
  }
  if (ctx.input(0).dtype != DType::kFloat32 || ctx.output(0).dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
