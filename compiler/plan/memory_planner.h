// The offline memory plan (TinyMaix, onnx2c, TFLM's offline planner): every non-constant tensor of
// a lowered model gets a fixed arena offset, chosen by lifetime so tensors that are never live at
// the same time share bytes. The device then does pointer arithmetic only.
//
// Lifetimes are in op indices: a graph input is live before op 0, a tensor from the op that writes
// it through its last reader, a graph output through the end. Ops marked InPlace in ops.def write
// their output over input 0 when input 0 dies there, has the same size and is not a graph input
// (callers may reuse their input across Invoke calls). Placement is greedy by size, largest first,
// at the lowest 16-byte aligned offset free for the whole lifetime. The arena size is exactly the
// end of the highest tensor: no padding after it.
#pragma once

#include <cstdint>

#include "vgl_generated.h"

namespace vigil {

struct MemoryPlanStats {
  uint64_t activation_bytes = 0;
  uint64_t sum_of_tensor_bytes = 0;  // what a plan without sharing would need
  int in_place_ops = 0;
};

// Fills arena_offset of every non-constant tensor and model.activation_bytes.
MemoryPlanStats PlanMemory(schema::ModelT& model);

}  // namespace vigil
