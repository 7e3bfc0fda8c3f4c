// Add (ONNX Add) with NumPy broadcasting and a fused activation.
#include "kernels/reference/binary_elementwise.h"

namespace vigil::kernels {
namespace {

struct AddOp {
  static constexpr Int8Method kInt8 = Int8Method::kAdd;
  static float Apply(float a, float b) { return a + b; }
};

}  // namespace

Status PrepareAdd(KernelContext& ctx) {
  return PrepareBinary<AddOp>(ctx);
}

}  // namespace vigil::kernels
