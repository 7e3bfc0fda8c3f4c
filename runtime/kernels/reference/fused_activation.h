// The activations the compiler fuses into the op that produces a tensor (Relu, Clip, LeakyRelu),
// applied per element by that op's Eval, and by the standalone Relu/Clip/LeakyRelu kernels.
#pragma once

#include <algorithm>

#include "kernels/reference/fixed_point.h"
#include "vgl_generated.h"

namespace vigil::kernels {

struct FusedActivation {
  schema::ActivationKind kind = schema::ActivationKind::None;
  float min = 0, max = 0, alpha = 0;

  static FusedActivation From(const schema::Activation* a) {
    FusedActivation f;
    if (a != nullptr) {
      f.kind = a->kind();
      f.min = a->min();
      f.max = a->max();
      f.alpha = a->alpha();
    }
    return f;
  }
  // Prepare's check: a known kind, and min <= max for Clip.
  bool Valid() const {
    return kind <= schema::ActivationKind::MAX &&
           (kind != schema::ActivationKind::Clip || min <= max);
  }
  // The int8 clamp of this activation for an output of (scale, zero_point) (spec section 3).
  // LeakyRelu has none: int8 models carry it as its own table op.
  ActivationRange Int8Range(float scale, int32_t zero_point) const {
    ActivationRange r;
    if (kind == schema::ActivationKind::Relu) {
      r.lo = zero_point > kInt8Min ? zero_point : kInt8Min;
    } else if (kind == schema::ActivationKind::Clip) {
      r.lo = Clamp(QuantizeBound(min, scale, zero_point), kInt8Min, kInt8Max);
      r.hi = Clamp(QuantizeBound(max, scale, zero_point), kInt8Min, kInt8Max);
    }
    return r;
  }
  float Apply(float x) const {
    switch (kind) {
      case schema::ActivationKind::Relu: return x > 0.0f ? x : 0.0f;
      case schema::ActivationKind::Clip: return std::min(std::max(x, min), max);
      case schema::ActivationKind::LeakyRelu: return x >= 0.0f ? x : x * alpha;
      default: return x;
    }
  }
};

}  // namespace vigil::kernels
