// Sigmoid (ONNX Sigmoid): 1 / (1 + exp(-x)), written so neither branch overflows.
#include <cmath>

#include "kernels/reference/unary_elementwise.h"

namespace vigil::kernels {
namespace {

float Sigmoid(const KernelContext&, float x) {
  if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

}  // namespace

Status PrepareSigmoid(KernelContext& ctx) {
  return PrepareUnaryFloat<Sigmoid>(ctx);
}

}  // namespace vigil::kernels
