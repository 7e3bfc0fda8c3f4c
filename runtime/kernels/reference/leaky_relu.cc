// LeakyRelu (ONNX LeakyRelu): x for x >= 0, alpha * x otherwise.
#include "kernels/reference/fused_activation.h"
#include "kernels/reference/unary_elementwise.h"

namespace vigil::kernels {
namespace {

float LeakyRelu(const KernelContext& ctx, float x) {
  return x >= 0.0f ? x : x * ctx.params<schema::Activation>()->alpha();
}

}  // namespace

Status PrepareLeakyRelu(KernelContext& ctx) {
  return PrepareUnaryFloat<LeakyRelu>(ctx);
}

}  // namespace vigil::kernels
