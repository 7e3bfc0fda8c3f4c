// Range checks on the ONNX attributes that ONNX's own shape inference (libonnx) divides by or
// indexes with before it checks them: libonnx 1.12 computes a Conv or pooling output size as
// (input + pads - kernel) / strides with no test for strides 0 (SIGFPE), and lowering divides by
// the same strides for SAME padding. These checks run before every shape inference (InferShapes),
// so they also cover nodes that constant-If folding brings in from a branch.
//
// Checked, for Conv, ConvTranspose, ConvInteger, QLinearConv, MaxPool, AveragePool, LpPool and
// MaxUnpool (the ops whose shape inference is ONNX's convPoolShapeInference or its like):
//   strides, dilations, kernel_shape >= 1;  pads, output_padding >= 0;  output_shape >= 1;
//   every value <= INT32_MAX (the model file's width; keeps ONNX's int64 sums from overflowing);
//   group >= 1 and, where the weight and input shapes are known, dividing the channels;
//   auto_pad one of NOTSET, SAME_UPPER, SAME_LOWER, VALID;  ceil_mode 0 or 1;
// and blocksize >= 1 for DepthToSpace and SpaceToDepth.
// Attribute counts against the input rank are ONNX's own checks and are left to it.
#pragma once

#include "compiler/ir/graph.h"

namespace vigil::onnx_import {

// Throws HostError naming the node, the attribute, the offending value and the bound.
void ValidateAttributes(const ir::Graph& graph);

}  // namespace vigil::onnx_import
