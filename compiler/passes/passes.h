// Graph passes, each a separate unit with its own before/after test (onnx2c's lesson: keep them
// out of the graph class). Each returns how many nodes it changed, for the compile report.
#pragma once

#include "compiler/ir/graph.h"

namespace vigil::passes {

// Replaces nodes whose inputs are all constants (and Shape/Size of statically shaped values) by
// their values. Nodes it cannot evaluate are left alone.
int FoldConstants(ir::Graph& graph);

// Replaces an If whose condition is a constant by the nodes of the branch it takes (PyTorch exports
// squeeze(dim) as If(shape[dim] == 1) even when the shape is static).
int FoldConstantIfs(ir::Graph& graph);

// Removes Identity and inference-mode Dropout nodes, reading their input directly. A node whose
// removal would join a graph output to a graph input or a constant stays (it lowers to a copy).
int RemoveIdentities(ir::Graph& graph);

// Folds BatchNormalization into the Conv, ConvTranspose or Gemm before it when that node's only
// reader is the BatchNormalization and its weights are constants.
int FoldBatchNorms(ir::Graph& graph);

// Moves Relu, Clip (constant bounds) and LeakyRelu into the Conv, ConvTranspose, Gemm, Add, Sub or
// Mul that produces their input, when that output has no other reader and is not a graph output.
int FuseActivations(ir::Graph& graph);

// Removes nodes none of whose outputs reach a graph output.
int EliminateDeadNodes(ir::Graph& graph);

}  // namespace vigil::passes
