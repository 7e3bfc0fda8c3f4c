// Small IR graphs written by hand for the pass tests.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/attributes.h"
#include "compiler/ir/graph.h"

namespace vigil::passes::testing {

class GraphBuilder {
 public:
  explicit GraphBuilder(int64_t opset = 13) { graph_.opset = opset; }

  int Input(const std::string& name, std::vector<int64_t> shape) {
    ir::Value v;
    v.name = name;
    v.shape = std::move(shape);
    v.has_shape = true;
    int id = graph_.AddValue(std::move(v));
    graph_.inputs.push_back(id);
    return id;
  }
  int Constant(const std::string& name, std::vector<int64_t> shape,
               const std::vector<float>& values) {
    return graph_.AddConstant(name, ir::TensorData::FromFloats(std::move(shape), values));
  }
  int ConstantInts(const std::string& name, const std::vector<int64_t>& values) {
    return graph_.AddConstant(
        name, ir::TensorData::FromInt64s({static_cast<int64_t>(values.size())}, values));
  }
  // Adds a node writing fresh values named `outputs` (shape left unknown unless given).
  std::vector<int> Node(const std::string& op, const std::vector<int>& inputs,
                        const std::vector<std::string>& outputs,
                        std::vector<int64_t> out_shape = {}) {
    ir::Node node;
    node.name = op + "_" + std::to_string(graph_.nodes.size());
    node.op_type = op;
    node.inputs = inputs;
    std::vector<int> ids;
    for (const std::string& name : outputs) {
      ir::Value v;
      v.name = name;
      v.shape = out_shape;
      v.has_shape = !out_shape.empty();
      ids.push_back(graph_.AddValue(std::move(v)));
    }
    node.outputs = ids;
    graph_.nodes.push_back(std::move(node));
    return ids;
  }
  ir::Node& LastNode() { return graph_.nodes.back(); }
  void Output(int value) { graph_.outputs.push_back(value); }
  ir::Graph& graph() { return graph_; }

 private:
  ir::Graph graph_;
};

inline std::vector<std::string> OpTypes(const ir::Graph& graph) {
  std::vector<std::string> ops;
  for (const ir::Node& n : graph.nodes)
    ops.push_back(n.op_type);
  return ops;
}

}  // namespace vigil::passes::testing
