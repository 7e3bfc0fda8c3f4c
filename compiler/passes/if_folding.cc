#include <map>

#include "compiler/import/onnx/onnx_importer.h"
#include "compiler/passes/passes.h"
#include "host/error.h"

namespace vigil::passes {
namespace {

// The nodes of `branch` rewired into `graph`: names the branch defines become fresh values (prefixed
// by the If's name), other names resolve to the enclosing graph's values; the If's outputs are
// written by Identity nodes from the branch outputs, which identity removal then dissolves.
std::vector<ir::Node> InlineBranch(ir::Graph& graph, const ir::Node& if_node,
                                   const onnx::GraphProto& branch) {
  std::map<std::string, int> outer;
  for (size_t v = 0; v < graph.values.size(); ++v)
    outer[graph.values[v].name] = static_cast<int>(v);
  std::map<std::string, int> local;
  for (const onnx::TensorProto& init : branch.initializer()) {
    local[init.name()] =
        graph.AddConstant(if_node.name + "/" + init.name(), onnx_import::DecodeTensor(init));
  }
  for (const onnx::NodeProto& n : branch.node()) {
    for (const std::string& out : n.output()) {
      if (out.empty() || local.count(out)) continue;
      ir::Value v;
      v.name = graph.UniqueName(if_node.name + "/" + out);
      local[out] = graph.AddValue(std::move(v));
    }
  }
  auto value_of = [&](const std::string& name) {
    if (local.count(name)) return local[name];
    if (outer.count(name)) return outer[name];
    throw HostError(ir::Graph::Describe(if_node) + ": branch reads unknown value '" + name + "'");
  };
  std::vector<ir::Node> nodes;
  int unnamed = 0;
  for (const onnx::NodeProto& n : branch.node()) {
    nodes.push_back(onnx_import::ConvertNode(
        n, value_of, if_node.name + "/" + n.op_type() + std::to_string(unnamed++)));
  }
  if (static_cast<size_t>(branch.output_size()) != if_node.outputs.size()) {
    throw HostError(ir::Graph::Describe(if_node) +
                    ": branch outputs do not match the node's outputs");
  }
  for (int k = 0; k < branch.output_size(); ++k) {
    ir::Node identity;
    identity.name = if_node.name + "/output" + std::to_string(k);
    identity.op_type = "Identity";
    identity.inputs = {value_of(branch.output(k).name())};
    identity.outputs = {if_node.outputs[static_cast<size_t>(k)]};
    nodes.push_back(std::move(identity));
  }
  return nodes;
}

}  // namespace

int FoldConstantIfs(ir::Graph& graph) {
  int folded = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const ir::Node node = graph.nodes[i];
    if (node.op_type != "If" || !node.domain.empty() || node.inputs.empty() ||
        !graph.IsConstant(node.inputs[0]))
      continue;
    const bool condition = graph.values[node.inputs[0]].constant->ToDoubles().at(0) != 0.0;
    auto branch = node.attributes.find(condition ? "then_branch" : "else_branch");
    if (branch == node.attributes.end())
      throw HostError(ir::Graph::Describe(node) + ": missing branch");
    std::vector<ir::Node> inlined = InlineBranch(graph, node, branch->second.g());
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    graph.nodes.insert(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i), inlined.begin(),
                       inlined.end());
    i += inlined.size() - 1;
    ++folded;
  }
  return folded;
}

}  // namespace vigil::passes
