// Reshape (ONNX Reshape, Flatten, Squeeze, Unsqueeze): the same elements under a new shape. When the
// plan puts the output over the input (in place) there is nothing to move.
#include <cstring>

#include "kernels/kernel.h"

namespace vigil::kernels {
namespace {

Status Eval(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  if (x.data != y.data) std::memcpy(y.data, x.data, y.bytes());
  return Status::kOk;
}

}  // namespace

Status PrepareReshape(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  if (x.shape.ElementCount() != y.shape.ElementCount() || x.dtype != y.dtype) {
    return ctx.Fail(Status::kInvalidModel, "input and output differ in element count or dtype");
  }
  if (x.dtype == DType::kInt8 &&
      (x.quant.scale[0] != y.quant.scale[0] || x.quant.zero_point[0] != y.quant.zero_point[0])) {
    return ctx.Fail(Status::kInvalidModel, "input and output quantization differ");
  }
  ctx.set_eval(Eval);
  return Status::kOk;
}

}  // namespace vigil::kernels
