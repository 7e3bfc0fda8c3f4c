// Shape inference for the graph IR by ONNX's own shape inference (with data propagation, so
// Shape -> Gather -> Concat -> Reshape chains resolve). The graph goes out as a ModelProto and the
// inferred static shapes come back; types are checked on the way.
#pragma once

#include "compiler/ir/graph.h"

namespace vigil::onnx_import {

// Fills shape and type of every value ONNX can infer statically. Throws HostError when an attribute
// ONNX would divide by or index with is out of range (onnx_attribute_validation.h, checked first)
// or when ONNX finds the graph inconsistent.
void InferShapes(ir::Graph& graph);

// The graph as an ONNX model (for inference, and for --dump-onnx when debugging passes).
onnx::ModelProto ExportModel(const ir::Graph& graph);

}  // namespace vigil::onnx_import
