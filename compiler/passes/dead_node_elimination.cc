#include <set>

#include "compiler/passes/passes.h"

namespace vigil::passes {

int EliminateDeadNodes(ir::Graph& graph) {
  std::set<int> live(graph.outputs.begin(), graph.outputs.end());
  std::vector<bool> keep(graph.nodes.size(), false);
  for (size_t k = graph.nodes.size(); k-- > 0;) {
    const ir::Node& node = graph.nodes[k];
    for (int out : node.outputs)
      keep[k] = keep[k] || (out >= 0 && live.count(out));
    if (!keep[k]) continue;
    for (int in : node.inputs) {
      if (in >= 0) live.insert(in);
    }
  }
  size_t index = 0;
  int removed = 0;
  graph.RemoveNodes([&](const ir::Node&) {
    bool dead = !keep[index++];
    removed += dead;
    return dead;
  });
  return removed;
}

}  // namespace vigil::passes
