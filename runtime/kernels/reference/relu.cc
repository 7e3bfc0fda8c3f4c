// Relu (ONNX Relu): max(x, 0).
#include "kernels/reference/unary_elementwise.h"

namespace vigil::kernels {
namespace {

float Relu(const KernelContext&, float x) {
  return x > 0.0f ? x : 0.0f;
}

}  // namespace

Status PrepareRelu(KernelContext& ctx) {
  return PrepareUnaryFloat<Relu>(ctx);
}

}  // namespace vigil::kernels
