#include "compiler/ir/attributes.h"

#include "host/error.h"

namespace vigil::ir {
namespace {

const onnx::AttributeProto* Find(const Node& node, const std::string& name,
                                 onnx::AttributeProto::AttributeType type) {
  auto it = node.attributes.find(name);
  if (it == node.attributes.end()) return nullptr;
  if (it->second.type() != type) {
    throw HostError(Graph::Describe(node) + ": attribute '" + name + "' has an unexpected type");
  }
  return &it->second;
}

}  // namespace

bool HasAttribute(const Node& node, const std::string& name) {
  return node.attributes.count(name) > 0;
}

int64_t IntAttribute(const Node& node, const std::string& name, int64_t fallback) {
  const auto* a = Find(node, name, onnx::AttributeProto::INT);
  return a ? a->i() : fallback;
}

float FloatAttribute(const Node& node, const std::string& name, float fallback) {
  const auto* a = Find(node, name, onnx::AttributeProto::FLOAT);
  return a ? a->f() : fallback;
}

std::string StringAttribute(const Node& node, const std::string& name,
                            const std::string& fallback) {
  const auto* a = Find(node, name, onnx::AttributeProto::STRING);
  return a ? a->s() : fallback;
}

std::vector<int64_t> IntsAttribute(const Node& node, const std::string& name,
                                   const std::vector<int64_t>& fallback) {
  const auto* a = Find(node, name, onnx::AttributeProto::INTS);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

std::vector<float> FloatsAttribute(const Node& node, const std::string& name,
                                   const std::vector<float>& fallback) {
  const auto* a = Find(node, name, onnx::AttributeProto::FLOATS);
  return a ? std::vector<float>(a->floats().begin(), a->floats().end()) : fallback;
}

void SetIntAttribute(Node& node, const std::string& name, int64_t value) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INT);
  a.set_i(value);
  node.attributes[name] = a;
}

void SetIntsAttribute(Node& node, const std::string& name, const std::vector<int64_t>& values) {
  onnx::AttributeProto a;
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values)
    a.add_ints(v);
  node.attributes[name] = a;
}

}  // namespace vigil::ir
