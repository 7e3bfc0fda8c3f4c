// Transpose (ONNX Transpose): output dimension d is input dimension perm[d].

#include <cstring>

#include "kernels/kernel.h"
#include "kernels/reference/tensor_index.h"

namespace vigil::kernels {
namespace {

// Strides that walk the input in the output's order.
Strides PermutedInputStrides(KernelContext& ctx) {
  const auto* perm = ctx.params<schema::TransposeParams>()->perm();
  Strides in = RowMajorStrides(ctx.input(0).shape), out;
  for (uint32_t d = 0; d < perm->size(); ++d)
    out.step[d] = in.step[perm->Get(d)];
  return out;
}

// Moves elements as raw bytes of their width, so one body serves every dtype.
template <size_t kBytes>
Status Eval(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  Strides sx = PermutedInputStrides(ctx), sy = RowMajorStrides(y.shape);
  const Strides* strides[2] = {&sx, &sy};
  const uint8_t* xv = x.data_as<const uint8_t>();
  uint8_t* yv = y.data_as<uint8_t>();
  for (NdCounter<2> it(y.shape, strides); !it.done(); it.Next()) {
    std::memcpy(yv + it.offset(1) * kBytes, xv + it.offset(0) * kBytes, kBytes);
  }
  return Status::kOk;
}

}  // namespace

Status PrepareTranspose(KernelContext& ctx) {
  TensorView x = ctx.input(0), y = ctx.output(0);
  const auto* perm = ctx.params<schema::TransposeParams>()->perm();
  if (perm == nullptr || static_cast<int>(perm->size()) != x.shape.rank ||
      y.shape.rank != x.shape.rank || x.dtype != y.dtype) {
    return ctx.Fail(Status::kInvalidModel, "perm must list every input dimension once");
  }
  bool seen[kMaxRank] = {};
  for (int d = 0; d < x.shape.rank; ++d) {
    int32_t p = perm->Get(static_cast<uint32_t>(d));
    if (p < 0 || p >= x.shape.rank || seen[p] || y.shape.dims[d] != x.shape.dims[p]) {
      return ctx.Fail(Status::kInvalidModel, "perm is not a permutation matching the output shape");
    }
    seen[p] = true;
  }
  if (x.dtype == DType::kInt8 &&
      !(x.quant.scale[0] == y.quant.scale[0] && x.quant.zero_point[0] == y.quant.zero_point[0])) {
    return ctx.Fail(Status::kInvalidModel, "input and output quantization differ");
  }
  ctx.set_eval(DTypeBytes(x.dtype) == 1 ? Eval<1> : Eval<4>);
  return Status::kOk;
}

}  // namespace vigil::kernels
