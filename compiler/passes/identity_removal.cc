#include "compiler/passes/passes.h"

namespace vigil::passes {

int RemoveIdentities(ir::Graph& graph) {
  int removed = 0;
  for (size_t i = 0; i < graph.nodes.size();) {
    ir::Node& node = graph.nodes[i];
    const bool is_identity = node.op_type == "Identity" && node.domain.empty();
    // Dropout passes its input through at inference (training_mode, opset 12+, absent or constant
    // false) and when its ratio is a constant 0; its mask output must be unused.
    const bool mask_unused =
        node.outputs.size() < 2 || node.outputs[1] < 0 ||
        (graph.Consumers(node.outputs[1]).empty() && !graph.IsGraphOutput(node.outputs[1]));
    auto constant_zero = [&](size_t k) {
      return node.inputs.size() > k && graph.IsConstant(node.inputs[k]) &&
             graph.values[node.inputs[k]].constant->ToDoubles().at(0) == 0.0;
    };
    const bool inference =
        node.inputs.size() < 3 || node.inputs[2] < 0 || constant_zero(2) || constant_zero(1);
    const bool is_dropout =
        node.op_type == "Dropout" && node.domain.empty() && mask_unused && inference;
    if ((!is_identity && !is_dropout) || node.inputs.empty() || node.inputs[0] < 0) {
      ++i;
      continue;
    }
    const int in = node.inputs[0], out = node.outputs[0];
    const bool in_is_boundary =
        graph.IsGraphInput(in) || graph.IsConstant(in) || graph.IsGraphOutput(in);
    if (graph.IsGraphOutput(out) && in_is_boundary) {
      ++i;
      continue;
    }
    if (graph.IsGraphOutput(out)) {
      // Keep the output's name: the value that feeds the identity takes it over.
      graph.values[in].name = graph.values[out].name;
      graph.values[out].name += "__removed_identity";
    }
    graph.ReplaceAllUses(out, in);
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    ++removed;
  }
  return removed;
}

}  // namespace vigil::passes
