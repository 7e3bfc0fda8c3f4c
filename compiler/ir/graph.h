// The compiler's graph IR: ONNX-shaped (op types and attributes as ONNX defines them) so the passes
// can be read against the ONNX operator documentation, plus what the passes learn along the way:
// static shapes, constant values and fused activations.
//
// Values are identified by index into Graph::values; a node input of -1 is an absent optional
// input. Passes edit the graph in place and keep it topologically ordered.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "compiler/ir/tensor_data.h"

namespace vigil::ir {

struct Value {
  std::string name;
  ElementType type = ElementType::kFloat32;
  std::vector<int64_t> shape;
  bool has_shape = false;
  std::optional<TensorData> constant;  // set for initializers and folded results
};

enum class ActivationKind { kNone, kRelu, kClip, kLeakyRelu };

// An activation the fusion pass moved into the node that produces its input.
struct FusedActivation {
  ActivationKind kind = ActivationKind::kNone;
  float min = 0, max = 0, alpha = 0.01f;
};

struct Node {
  std::string name, op_type, domain;
  std::vector<int> inputs, outputs;
  std::map<std::string, onnx::AttributeProto> attributes;
  FusedActivation activation;
};

class Graph {
 public:
  std::string name, doc_string, producer;
  int64_t opset = 0;  // default-domain opset the model imports
  int64_t model_version = 0;
  std::map<std::string, std::string> metadata;  // ONNX metadata_props
  std::vector<Value> values;
  std::vector<Node> nodes;
  std::vector<int> inputs, outputs;

  int AddValue(Value value);
  int AddConstant(const std::string& name, TensorData data);
  std::string UniqueName(const std::string& base) const;

  bool IsConstant(int value) const { return value >= 0 && values[value].constant.has_value(); }
  bool IsGraphInput(int value) const;
  bool IsGraphOutput(int value) const;
  // Index of the node that writes `value`, or -1 (graph input or constant).
  int Producer(int value) const;
  // Indices of the nodes that read `value`.
  std::vector<int> Consumers(int value) const;
  // Redirects every read of `from` (node inputs and graph outputs) to `to`.
  void ReplaceAllUses(int from, int to);
  // Removes the nodes for which `remove` is true, keeping the order of the rest.
  void RemoveNodes(const std::function<bool(const Node&)>& remove);
  // "node 'conv1' (Conv)" for messages.
  static std::string Describe(const Node& node);
};

}  // namespace vigil::ir
