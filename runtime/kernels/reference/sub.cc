// Sub (ONNX Sub) with NumPy broadcasting and a fused activation.
#include "kernels/reference/binary_elementwise.h"

namespace vigil::kernels {
namespace {

struct SubOp {
  static constexpr Int8Method kInt8 = Int8Method::kSub;
  static float Apply(float a, float b) { return a - b; }
};

}  // namespace

Status PrepareSub(KernelContext& ctx) {
  return PrepareBinary<SubOp>(ctx);
}

}  // namespace vigil::kernels
