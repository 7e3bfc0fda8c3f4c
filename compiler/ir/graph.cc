#include "compiler/ir/graph.h"

#include <algorithm>
#include <set>

namespace vigil::ir {

int Graph::AddValue(Value value) {
  values.push_back(std::move(value));
  return static_cast<int>(values.size() - 1);
}

int Graph::AddConstant(const std::string& base, TensorData data) {
  Value v;
  v.name = UniqueName(base);
  v.type = data.type;
  v.shape = data.shape;
  v.has_shape = true;
  v.constant = std::move(data);
  return AddValue(std::move(v));
}

std::string Graph::UniqueName(const std::string& base) const {
  std::set<std::string> names;
  for (const Value& v : values)
    names.insert(v.name);
  if (!names.count(base)) return base;
  for (int i = 1;; ++i) {
    std::string candidate = base + "_" + std::to_string(i);
    if (!names.count(candidate)) return candidate;
  }
}

bool Graph::IsGraphInput(int value) const {
  return std::find(inputs.begin(), inputs.end(), value) != inputs.end();
}

bool Graph::IsGraphOutput(int value) const {
  return std::find(outputs.begin(), outputs.end(), value) != outputs.end();
}

int Graph::Producer(int value) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (int out : nodes[i].outputs) {
      if (out == value) return static_cast<int>(i);
    }
  }
  return -1;
}

std::vector<int> Graph::Consumers(int value) const {
  std::vector<int> out;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (std::find(nodes[i].inputs.begin(), nodes[i].inputs.end(), value) != nodes[i].inputs.end()) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

void Graph::ReplaceAllUses(int from, int to) {
  for (Node& node : nodes)
    std::replace(node.inputs.begin(), node.inputs.end(), from, to);
  std::replace(outputs.begin(), outputs.end(), from, to);
}

void Graph::RemoveNodes(const std::function<bool(const Node&)>& remove) {
  nodes.erase(std::remove_if(nodes.begin(), nodes.end(), remove), nodes.end());
}

std::string Graph::Describe(const Node& node) {
  return "node '" + node.name + "' (" + node.op_type + ")";
}

}  // namespace vigil::ir
