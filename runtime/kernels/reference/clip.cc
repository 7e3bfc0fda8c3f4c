// Clip (ONNX Clip): min(max(x, min), max); the compiler fills absent bounds with +-FLT_MAX.
#include <algorithm>

#include "kernels/reference/unary_elementwise.h"

namespace vigil::kernels {
namespace {

float Clip(const KernelContext& ctx, float x) {
  const auto* p = ctx.params<schema::Activation>();
  return std::min(std::max(x, p->min()), p->max());
}

}  // namespace

Status PrepareClip(KernelContext& ctx) {
  const auto* p = ctx.params<schema::Activation>();
  if (!(p->min() <= p->max())) return ctx.Fail(Status::kInvalidModel, "Clip needs min <= max");
  return PrepareUnaryFloat<Clip>(ctx);
}

}  // namespace vigil::kernels
