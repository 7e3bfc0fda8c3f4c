// Slice (ONNX Slice): output element i along axis d is input element starts[d] + i * steps[d]. The
// compiler resolves ONNX's starts/ends/axes/steps (negative and out-of-range values) into this form.
#include <cstring>

#include "kernels/kernel.h"
#include "kernels/reference/tensor_index.h"

namespace vigil::kernels {
namespace {

template <size_t kBytes>
Status Eval(KernelContext& ctx) {
  const auto* p = ctx.params<schema::SliceParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  // Prepare checks the starts of non-empty axes only; an empty output reads nothing.
  if (y.shape.ElementCount() == 0) return Status::kOk;
  Strides in = RowMajorStrides(x.shape), walk, out = RowMajorStrides(y.shape);
  int64_t base = 0;
  for (int d = 0; d < x.shape.rank; ++d) {
    base += p->starts()->Get(static_cast<uint32_t>(d)) * in.step[d];
    walk.step[d] = p->steps()->Get(static_cast<uint32_t>(d)) * in.step[d];
  }
  const Strides* strides[2] = {&walk, &out};
  // Offsets stay signed: a negative step walks backwards from `base`.
  constexpr int64_t kWidth = static_cast<int64_t>(kBytes);
  const uint8_t* xv = x.data_as<const uint8_t>() + base * kWidth;
  uint8_t* yv = y.data_as<uint8_t>();
  for (NdCounter<2> it(y.shape, strides); !it.done(); it.Next()) {
    std::memcpy(yv + it.offset(1) * kWidth, xv + it.offset(0) * kWidth, kBytes);
  }
  return Status::kOk;
}

}  // namespace

Status PrepareSlice(KernelContext& ctx) {
  const auto* p = ctx.params<schema::SliceParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  const int rank = x.shape.rank;
  if (p->starts() == nullptr || p->steps() == nullptr ||
      static_cast<int>(p->starts()->size()) != rank ||
      static_cast<int>(p->steps()->size()) != rank || y.shape.rank != rank || x.dtype != y.dtype) {
    return ctx.Fail(Status::kInvalidModel, "starts and steps need one entry per axis");
  }
  for (int d = 0; d < rank; ++d) {
    int64_t start = p->starts()->Get(static_cast<uint32_t>(d)),
            step = p->steps()->Get(static_cast<uint32_t>(d));
    int64_t n = y.shape.dims[d];
    if (step == 0) return ctx.Fail(Status::kInvalidModel, "step of axis %d is zero", d);
    if (n == 0) continue;
    int64_t last = start + (n - 1) * step;
    if (start < 0 || start >= x.shape.dims[d] || last < 0 || last >= x.shape.dims[d]) {
      return ctx.Fail(Status::kInvalidModel, "axis %d reads outside the input", d);
    }
  }
  if (x.dtype == DType::kInt8 &&
      (x.quant.scale[0] != y.quant.scale[0] || x.quant.zero_point[0] != y.quant.zero_point[0])) {
    return ctx.Fail(Status::kInvalidModel, "input and output quantization differ");
  }
  ctx.set_eval(DTypeBytes(x.dtype) == 1 ? Eval<1> : Eval<4>);
  return Status::kOk;
}

}  // namespace vigil::kernels
