// A two-class linear classifier and its validation set whose accuracies are known exactly by
// construction, so the update tests and the power-cut simulator have real models to validate
// without a trained network.
//
// The model is one Gemm: logits = x W + b for a point x = (x0, x1), built through the compiler's
// real planner and writer. The 20 validation points are labelled by argmax(x0, x1); two of the
// class-1 points lie 0.1 above the diagonal, one lies 0.3 above it. Hence:
//   bias0 = 0     -> accuracy 20/20 = 1.00
//   bias0 = 0.25  -> the two 0.1 points flip: 18/20 = 0.90
//   bias0 = 0.35  -> the 0.3 point flips too: 17/20 = 0.85
//   swapped W     -> every point flips: 0/20 = 0.00
#pragma once

#include <cstdint>
#include <vector>

#include "ota/package/update_manifest.h"

namespace vigil::ota::sim {

std::vector<uint8_t> BuildReferenceClassifier(float bias0, bool swapped = false);

// Input "point": float32 [20, 2]; expected: int32 [20].
ValidationSet ReferenceValidationSet();

}  // namespace vigil::ota::sim
