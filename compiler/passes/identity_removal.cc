#include "compiler/passes/passes.h"

namespace vigil::passes {

int RemoveIdentities(ir::Graph& graph) {
  int removed = 0;
  for (size_t i = 0; i < graph.nodes.size();) {
    ir::Node& node = graph.nodes[i];
    const bool is_identity = node.op_type == "Identity" && node.domain.empty();
    // Dropout at inference passes its input through; its mask output must be unused.
    const bool is_dropout = node.op_type == "Dropout" && node.domain.empty() &&
                            (node.outputs.size() < 2 || node.outputs[1] < 0 ||
                             (graph.Consumers(node.outputs[1]).empty() && !graph.IsGraphOutput(node.outputs[1])));
    if ((!is_identity && !is_dropout) || node.inputs.empty() || node.inputs[0] < 0) {
      ++i;
      continue;
    }
    const int in = node.inputs[0], out = node.outputs[0];
    const bool in_is_boundary = graph.IsGraphInput(in) || graph.IsConstant(in) || graph.IsGraphOutput(in);
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
