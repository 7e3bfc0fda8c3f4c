// Mul (ONNX Mul) with NumPy broadcasting and a fused activation.
#include "kernels/reference/binary_elementwise.h"

namespace vigil::kernels {
namespace {

struct MulOp {
  static constexpr Int8Method kInt8 = Int8Method::kMul;
  static float Apply(float a, float b) { return a * b; }
};

}  // namespace

Status PrepareMul(KernelContext& ctx) {
  return PrepareBinary<MulOp>(ctx);
}

}  // namespace vigil::kernels
