#include <cfloat>
#include <optional>

#include "compiler/ir/attributes.h"
#include "compiler/passes/passes.h"

namespace vigil::passes {
namespace {

bool CanCarryActivation(const ir::Node& node) {
  static const char* kOps[] = {"Conv", "ConvTranspose", "Gemm", "Add", "Sub", "Mul"};
  for (const char* op : kOps) {
    if (node.op_type == op && node.domain.empty())
      return node.activation.kind == ir::ActivationKind::kNone;
  }
  return false;
}

// The activation a node computes, if it is one that can be fused (Clip needs constant bounds).
std::optional<ir::FusedActivation> AsActivation(const ir::Graph& graph, const ir::Node& node) {
  if (!node.domain.empty() || node.inputs.empty()) return std::nullopt;
  ir::FusedActivation a;
  if (node.op_type == "Relu") {
    a.kind = ir::ActivationKind::kRelu;
  } else if (node.op_type == "LeakyRelu") {
    a.kind = ir::ActivationKind::kLeakyRelu;
    a.alpha = ir::FloatAttribute(node, "alpha", 0.01f);
  } else if (node.op_type == "Clip") {
    a.kind = ir::ActivationKind::kClip;
    a.min = -FLT_MAX;
    a.max = FLT_MAX;
    if (graph.opset < 11) {
      a.min = ir::FloatAttribute(node, "min", -FLT_MAX);
      a.max = ir::FloatAttribute(node, "max", FLT_MAX);
    } else {
      for (size_t k = 1; k < node.inputs.size() && k < 3; ++k) {
        if (node.inputs[k] < 0) continue;
        if (!graph.IsConstant(node.inputs[k])) return std::nullopt;
        (k == 1 ? a.min : a.max) = graph.values[node.inputs[k]].constant->ToFloats().at(0);
      }
    }
  } else {
    return std::nullopt;
  }
  return a;
}

}  // namespace

int FuseActivations(ir::Graph& graph) {
  int fused = 0;
  for (size_t i = 0; i < graph.nodes.size();) {
    const ir::Node& activation_node = graph.nodes[i];
    std::optional<ir::FusedActivation> activation = AsActivation(graph, activation_node);
    const int x = activation_node.inputs.empty() ? -1 : activation_node.inputs[0];
    const int producer_index = x < 0 ? -1 : graph.Producer(x);
    if (!activation || producer_index < 0 || graph.IsGraphOutput(x) ||
        graph.Consumers(x).size() != 1 ||
        !CanCarryActivation(graph.nodes[static_cast<size_t>(producer_index)])) {
      ++i;
      continue;
    }
    graph.nodes[static_cast<size_t>(producer_index)].activation = *activation;
    const int out = activation_node.outputs[0];
    if (graph.IsGraphOutput(out)) {
      graph.values[x].name = graph.values[out].name;
      graph.values[out].name += "__fused_activation";
    }
    graph.ReplaceAllUses(out, x);
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    ++fused;
  }
  return fused;
}

}  // namespace vigil::passes
