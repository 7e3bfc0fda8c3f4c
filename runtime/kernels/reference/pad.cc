// Pad (ONNX Pad): constant, reflect or edge padding; negative pads crop.
#include <cstring>

#include "kernels/kernel.h"
#include "kernels/reference/tensor_index.h"

namespace vigil::kernels {
namespace {

// Maps an output coordinate to the input along one axis; -1 means "the constant value".
int64_t SourceIndex(int64_t out, int32_t pad_begin, int32_t length, schema::PadMode mode) {
  int64_t i = out - pad_begin;
  if (i >= 0 && i < length) return i;
  switch (mode) {
    case schema::PadMode::Edge: return i < 0 ? 0 : length - 1;
    case schema::PadMode::Reflect: {
      if (length == 1) return 0;
      const int64_t period = 2 * (length - 1);
      int64_t r = i % period;
      if (r < 0) r += period;
      return r < length ? r : period - r;
    }
    default: return -1;
  }
}

template <size_t kBytes>
Status Eval(KernelContext& ctx) {
  const auto* p = ctx.params<schema::PadParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  const int rank = y.shape.rank;
  Strides in_strides = RowMajorStrides(x.shape);
  const uint8_t* xv = x.data_as<const uint8_t>();
  uint8_t* yv = y.data_as<uint8_t>();
  uint8_t fill[4] = {};
  if (x.dtype == DType::kFloat32) {
    const float value = p->value();
    std::memcpy(fill, &value, 4);
  } else if (x.dtype == DType::kInt32) {
    const int32_t value = static_cast<int32_t>(p->value());  // Prepare checked it is an int32
    std::memcpy(fill, &value, 4);
  } else if (x.dtype == DType::kInt8) {
    fill[0] = static_cast<uint8_t>(static_cast<int8_t>(x.quant.zero_point[0]));  // real zero
  }
  int32_t index[kMaxRank] = {};
  const int64_t count = y.shape.ElementCount();
  for (int64_t out = 0; out < count; ++out) {
    int64_t source = 0;
    for (int d = 0; d < rank && source >= 0; ++d) {
      int64_t s = SourceIndex(index[d], p->pads()->Get(static_cast<uint32_t>(d)), x.shape.dims[d],
                              p->mode());
      source = s < 0 ? -1 : source + s * in_strides.step[d];
    }
    std::memcpy(yv + out * static_cast<int64_t>(kBytes),
                source < 0 ? fill : xv + source * static_cast<int64_t>(kBytes), kBytes);
    for (int d = rank - 1; d >= 0; --d) {
      if (++index[d] < y.shape.dims[d]) break;
      index[d] = 0;
    }
  }
  return Status::kOk;
}

}  // namespace

Status PreparePad(KernelContext& ctx) {
  const auto* p = ctx.params<schema::PadParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  const int rank = x.shape.rank;
  if (p->pads() == nullptr || static_cast<int>(p->pads()->size()) != 2 * rank ||
      y.shape.rank != rank || x.dtype != y.dtype || p->mode() > schema::PadMode::MAX) {
    return ctx.Fail(Status::kInvalidModel, "pads must have 2 x rank entries and a known mode");
  }
  if (x.dtype == DType::kInt32 &&
      !(p->value() >= -2147483648.0f && p->value() < 2147483648.0f &&
        p->value() == static_cast<float>(static_cast<int32_t>(p->value())))) {
    return ctx.Fail(Status::kInvalidModel,
                    "an int32 pad value must be a whole number in int32 range");
  }
  for (int d = 0; d < rank; ++d) {
    int64_t begin = p->pads()->Get(static_cast<uint32_t>(d)),
            end = p->pads()->Get(static_cast<uint32_t>(rank + d));
    if (y.shape.dims[d] != x.shape.dims[d] + begin + end) {
      return ctx.Fail(Status::kInvalidModel, "output dimension %d is not input + pads", d);
    }
    bool needs_source = p->mode() != schema::PadMode::Constant && y.shape.dims[d] > 0;
    if (needs_source && x.shape.dims[d] == 0)
      return ctx.Fail(Status::kInvalidModel, "cannot reflect or extend an empty axis");
    if (p->mode() != schema::PadMode::Constant && (begin < 0 || end < 0)) {
      return ctx.Fail(Status::kUnsupportedModel,
                      "reflect and edge padding cannot crop (negative pads)");
    }
    if (p->mode() == schema::PadMode::Reflect &&
        (begin >= x.shape.dims[d] || end >= x.shape.dims[d])) {
      return ctx.Fail(Status::kInvalidModel, "reflect pads must be smaller than the axis");
    }
  }
  if (x.dtype == DType::kInt8 &&
      (x.quant.scale[0] != y.quant.scale[0] || x.quant.zero_point[0] != y.quant.zero_point[0] ||
       p->value() != 0.0f)) {
    return ctx.Fail(Status::kInvalidModel,
                    "int8 Pad needs equal quantization in and out and a fill value of 0");
  }
  ctx.set_eval(DTypeBytes(x.dtype) == 1 ? Eval<1> : Eval<4>);
  return Status::kOk;
}

}  // namespace vigil::kernels
