// Concat (ONNX Concat): joins inputs of equal rank along one axis.
#include <cstring>

#include "kernels/kernel.h"

namespace vigil::kernels {
namespace {

int64_t OuterCount(const Shape& s, int axis) {
  int64_t n = 1;
  for (int d = 0; d < axis; ++d) n *= s.dims[d];
  return n;
}

// Bytes of one input's slab per outer index: its extent along the axis times everything inside.
int64_t SlabBytes(const TensorView& t, int axis) {
  int64_t n = static_cast<int64_t>(DTypeBytes(t.dtype));
  for (int d = axis; d < t.shape.rank; ++d) n *= t.shape.dims[d];
  return n;
}

Status Eval(KernelContext& ctx) {
  const int axis = ctx.params<schema::AxisParams>()->axis();
  TensorView y = ctx.output(0);
  const int64_t outer = OuterCount(y.shape, axis);
  const int64_t y_slab = SlabBytes(y, axis);
  uint8_t* out = y.data_as<uint8_t>();
  int64_t offset = 0;
  for (int i = 0; i < ctx.input_count(); ++i) {
    TensorView x = ctx.input(i);
    const int64_t slab = SlabBytes(x, axis);
    const uint8_t* in = x.data_as<const uint8_t>();
    for (int64_t o = 0; o < outer; ++o) std::memcpy(out + o * y_slab + offset, in + o * slab, static_cast<size_t>(slab));
    offset += slab;
  }
  return Status::kOk;
}

}  // namespace

Status PrepareConcat(KernelContext& ctx) {
  TensorView y = ctx.output(0);
  const int axis = ctx.params<schema::AxisParams>()->axis();
  if (axis < 0 || axis >= y.shape.rank) return ctx.Fail(Status::kInvalidModel, "axis %d out of range", axis);
  int64_t total = 0;
  for (int i = 0; i < ctx.input_count(); ++i) {
    if (!ctx.has_input(i)) return ctx.Fail(Status::kInvalidModel, "input %d is absent", i);
    TensorView x = ctx.input(i);
    if (x.shape.rank != y.shape.rank || x.dtype != y.dtype) {
      return ctx.Fail(Status::kInvalidModel, "input %d differs from the output in rank or dtype", i);
    }
    for (int d = 0; d < y.shape.rank; ++d) {
      if (d != axis && x.shape.dims[d] != y.shape.dims[d]) {
        return ctx.Fail(Status::kInvalidModel, "input %d differs from the output in dimension %d", i, d);
      }
    }
    total += x.shape.dims[axis];
  }
  if (total != y.shape.dims[axis]) return ctx.Fail(Status::kInvalidModel, "inputs do not add up to the output along the axis");
  if (y.dtype == DType::kInt8) {
    // Requantising concat (inputs of other scales) is the quantizer's job: it inserts requantising
    // ops first, so equal parameters are all this kernel accepts.
    for (int i = 0; i < ctx.input_count(); ++i) {
      TensorView x = ctx.input(i);
      if (x.quant.scale[0] != y.quant.scale[0] || x.quant.zero_point[0] != y.quant.zero_point[0]) {
        return ctx.Fail(Status::kInvalidModel, "int8 input %d has other quantization than the output", i);
      }
    }
  }
  ctx.set_eval(Eval);
  return Status::kOk;
}

}  // namespace vigil::kernels
