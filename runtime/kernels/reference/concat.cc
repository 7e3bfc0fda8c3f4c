// Concat (ONNX Concat): joins inputs of equal rank along one axis.
#include <cstring>

#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"

namespace vigil::kernels {
namespace {

int64_t OuterCount(const Shape& s, int axis) {
  int64_t n = 1;
  for (int d = 0; d < axis; ++d)
    n *= s.dims[d];
  return n;
}

// Bytes of one input's slab per outer index: its extent along the axis times everything inside.
int64_t SlabBytes(const TensorView& t, int axis) {
  int64_t n = static_cast<int64_t>(DTypeBytes(t.dtype));
  for (int d = axis; d < t.shape.rank; ++d)
    n *= t.shape.dims[d];
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
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(out + o * y_slab + offset, in + o * slab, static_cast<size_t>(slab));
    offset += slab;
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.7: an input with the output's parameters is copied, another is requantized.
Status EvalInt8(KernelContext& ctx) {
  const int axis = ctx.params<schema::AxisParams>()->axis();
  const auto* multipliers = static_cast<const QuantizedMultiplier*>(ctx.op_data());
  TensorView y = ctx.output(0);
  const int32_t zp_y = ZeroPointOf(y);
  const int64_t outer = OuterCount(y.shape, axis);
  const int64_t y_slab = SlabBytes(y, axis);
  int8_t* out = y.data_as<int8_t>();
  int64_t offset = 0;
  for (int i = 0; i < ctx.input_count(); ++i) {
    TensorView x = ctx.input(i);
    const int64_t slab = SlabBytes(x, axis);
    const int8_t* in = x.data_as<const int8_t>();
    const bool copy = SameQuantization(x, y);
    const int32_t zp_x = ZeroPointOf(x);
    const Requantizer requantize(multipliers[i], zp_y, kInt8Min, kInt8Max);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t j = 0; j < slab; ++j) {
        const int8_t q = in[o * slab + j];
        out[o * y_slab + offset + j] = copy ? q : requantize(q - zp_x);
      }
    }
    offset += slab;
  }
  return Status::kOk;
}

}  // namespace

Status PrepareConcat(KernelContext& ctx) {
  TensorView y = ctx.output(0);
  const int axis = ctx.params<schema::AxisParams>()->axis();
  if (axis < 0 || axis >= y.shape.rank)
    return ctx.Fail(Status::kInvalidModel, "axis %d out of range", axis);
  int64_t total = 0;
  for (int i = 0; i < ctx.input_count(); ++i) {
    if (!ctx.has_input(i)) return ctx.Fail(Status::kInvalidModel, "input %d is absent", i);
    TensorView x = ctx.input(i);
    if (x.shape.rank != y.shape.rank || x.dtype != y.dtype) {
      return ctx.Fail(Status::kInvalidModel, "input %d differs from the output in rank or dtype",
                      i);
    }
    for (int d = 0; d < y.shape.rank; ++d) {
      if (d != axis && x.shape.dims[d] != y.shape.dims[d]) {
        return ctx.Fail(Status::kInvalidModel, "input %d differs from the output in dimension %d",
                        i, d);
      }
    }
    total += x.shape.dims[axis];
  }
  if (total != y.shape.dims[axis])
    return ctx.Fail(Status::kInvalidModel, "inputs do not add up to the output along the axis");
  if (y.dtype == DType::kInt8) {
    const size_t bytes = sizeof(QuantizedMultiplier) * static_cast<size_t>(ctx.input_count());
    auto* multipliers = static_cast<QuantizedMultiplier*>(ctx.AllocatePersistent(bytes));
    if (multipliers == nullptr) return Status::kInvalidModel;
    for (int i = 0; i < ctx.input_count(); ++i) {
      TensorView x = ctx.input(i);
      if (!IsPerTensorInt8(x) || !IsPerTensorInt8(y))
        return ctx.Fail(Status::kInvalidModel, "int8 input %d needs per-tensor quantization", i);
      multipliers[i] =
          QuantizeMultiplier(static_cast<double>(ScaleOf(x)) / static_cast<double>(ScaleOf(y)));
    }
    ctx.set_op_data(multipliers);
    ctx.set_eval(EvalInt8);
    return Status::kOk;
  }
  ctx.set_eval(Eval);
  return Status::kOk;
}

}  // namespace vigil::kernels
