// Tanh (ONNX Tanh).
#include <cmath>

#include "kernels/reference/unary_elementwise.h"

namespace vigil::kernels {
namespace {

float Tanh(const KernelContext&, float x) {
  return std::tanh(x);
}

}  // namespace

Status PrepareTanh(KernelContext& ctx) {
  return PrepareUnaryFloat<Tanh>(ctx);
}

}  // namespace vigil::kernels
