#include <set>

#include "compiler/ir/attributes.h"
#include "compiler/passes/constant_evaluator.h"
#include "compiler/passes/passes.h"
#include "host/error.h"

namespace vigil::passes {
namespace {

// Shape and Size need only the input's static shape, not its values.
std::optional<ir::TensorData> FoldShapeOf(const ir::Graph& graph, const ir::Node& node) {
  if (node.inputs.empty() || node.inputs[0] < 0) return std::nullopt;
  const ir::Value& in = graph.values[node.inputs[0]];
  if (!in.has_shape) return std::nullopt;
  if (node.op_type == "Size") return ir::TensorData::FromInt64s({}, {ir::ElementCount(in.shape)});
  const int64_t rank = static_cast<int64_t>(in.shape.size());
  int64_t start = ir::IntAttribute(node, "start", 0), end = ir::IntAttribute(node, "end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  std::vector<int64_t> dims(in.shape.begin() + start, in.shape.begin() + end);
  return ir::TensorData::FromInt64s({static_cast<int64_t>(dims.size())}, dims);
}

}  // namespace

int FoldConstants(ir::Graph& graph) {
  std::set<size_t> folded;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const ir::Node& node = graph.nodes[i];
    if (!node.domain.empty()) continue;
    std::vector<ir::TensorData> results;
    if (node.op_type == "Shape" || node.op_type == "Size") {
      std::optional<ir::TensorData> shape = FoldShapeOf(graph, node);
      if (!shape) continue;
      results.push_back(std::move(*shape));
    } else {
      std::vector<const ir::TensorData*> inputs;
      bool all_constant = true;
      for (int in : node.inputs) {
        if (in < 0) {
          inputs.push_back(nullptr);
        } else if (graph.IsConstant(in)) {
          inputs.push_back(&*graph.values[in].constant);
        } else {
          all_constant = false;
        }
      }
      if (!all_constant) continue;
      std::optional<std::vector<ir::TensorData>> values =
          EvaluateConstantNode(node, inputs, graph.opset);
      if (!values) continue;
      results = std::move(*values);
    }
    if (results.size() < node.outputs.size()) {
      throw HostError(ir::Graph::Describe(node) + ": constant evaluation produced too few outputs");
    }
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      if (node.outputs[k] < 0) continue;
      ir::Value& v = graph.values[node.outputs[k]];
      v.type = results[k].type;
      v.shape = results[k].shape;
      v.has_shape = true;
      v.constant = std::move(results[k]);
    }
    folded.insert(i);
  }
  size_t index = 0;
  graph.RemoveNodes([&](const ir::Node&) { return folded.count(index++) > 0; });
  return static_cast<int>(folded.size());
}

}  // namespace vigil::passes
