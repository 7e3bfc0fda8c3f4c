// Evaluates ONNX nodes whose inputs are all known at compile time: the shape arithmetic that
// exporters emit (Shape, Gather, Concat, Unsqueeze, Cast, Slice ...) and simple maths on weights.
// Computes in double (exact for the int64 shape values models use) and casts to the output type.
#pragma once

#include <optional>
#include <vector>

#include "compiler/ir/graph.h"

namespace vigil::passes {

// Returns the node's output values, or nothing when the op is not one this evaluator knows.
// `inputs[i]` is null for an absent optional input. Throws HostError on an invalid node.
std::optional<std::vector<ir::TensorData>> EvaluateConstantNode(
    const ir::Node& node, const std::vector<const ir::TensorData*>& inputs, int64_t opset);

}  // namespace vigil::passes
