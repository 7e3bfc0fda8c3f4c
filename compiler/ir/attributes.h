// Typed access to a node's ONNX attributes, with the defaults the ONNX operator documentation gives.
// A present attribute of the wrong type is an error naming the node.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/graph.h"

namespace vigil::ir {

bool HasAttribute(const Node& node, const std::string& name);
int64_t IntAttribute(const Node& node, const std::string& name, int64_t fallback);
float FloatAttribute(const Node& node, const std::string& name, float fallback);
std::string StringAttribute(const Node& node, const std::string& name, const std::string& fallback);
std::vector<int64_t> IntsAttribute(const Node& node, const std::string& name,
                                   const std::vector<int64_t>& fallback = {});
std::vector<float> FloatsAttribute(const Node& node, const std::string& name,
                                   const std::vector<float>& fallback = {});

void SetIntAttribute(Node& node, const std::string& name, int64_t value);
void SetIntsAttribute(Node& node, const std::string& name, const std::vector<int64_t>& values);

}  // namespace vigil::ir
