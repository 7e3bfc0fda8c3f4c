// Shape checks shared by MaxPool and AveragePool: 1-d or 2-d windows over NC(H)W tensors.
#pragma once

#include "kernels/kernel.h"
#include "kernels/reference/window_geometry.h"

namespace vigil::kernels {

struct PoolShape {
  WindowGeometry g;
  int32_t planes;  // batch x channels
};

// Checks kernel/strides/pads/dilations and that the output size is the floor or the ceil form
// (ONNX ceil_mode) of the window formula, with every window starting inside the padded input.
Status ReadPoolShape(KernelContext& ctx, PoolShape* shape);

}  // namespace vigil::kernels
