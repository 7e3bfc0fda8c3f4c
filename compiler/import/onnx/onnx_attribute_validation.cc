#include "compiler/import/onnx/onnx_attribute_validation.h"

#include <climits>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/attributes.h"
#include "host/error.h"

namespace vigil::onnx_import {
namespace {

const std::set<std::string>& WindowOps() {
  static const std::set<std::string> ops = {"Conv",        "ConvTranspose", "ConvInteger",
                                            "QLinearConv", "MaxPool",       "AveragePool",
                                            "LpPool",      "MaxUnpool"};
  return ops;
}

std::string List(const std::vector<int64_t>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

[[noreturn]] void Reject(const ir::Node& node, const std::string& message) {
  throw HostError(ir::Graph::Describe(node) + ": " + message);
}

// Every value of the INTS attribute `name`, when present, must lie in [min, INT32_MAX].
void CheckInts(const ir::Node& node, const std::string& name, int64_t min) {
  if (!ir::HasAttribute(node, name)) return;
  const std::vector<int64_t> values = ir::IntsAttribute(node, name);
  for (int64_t v : values) {
    if (v < min || v > INT32_MAX) {
      Reject(node, "attribute " + name + " " + List(values) +
                       " is out of range: each value must be >= " + std::to_string(min) +
                       " and <= " + std::to_string(INT32_MAX));
    }
  }
}

// The shape of input k, or nullptr when it is absent or not known yet.
const std::vector<int64_t>* KnownShape(const ir::Graph& graph, const ir::Node& node, size_t k) {
  if (k >= node.inputs.size() || node.inputs[k] < 0) return nullptr;
  const ir::Value& v = graph.values[node.inputs[k]];
  return v.has_shape && v.shape.size() >= 2 ? &v.shape : nullptr;
}

// group >= 1, dividing the channels where the shapes say them. Conv-like weights are
// [M, C / group, k...]; ConvTranspose weights are [C, M / group, k...].
void CheckGroup(const ir::Graph& graph, const ir::Node& node) {
  const int64_t group = ir::IntAttribute(node, "group", 1);
  if (group < 1 || group > INT32_MAX) {
    Reject(node, "attribute group " + std::to_string(group) + " is out of range: it must be >= 1");
  }
  const size_t weight_input = node.op_type == "QLinearConv" ? 3 : 1;
  const std::vector<int64_t>* x = KnownShape(graph, node, 0);
  const std::vector<int64_t>* w = KnownShape(graph, node, weight_input);
  if (!w) return;
  const bool transposed = node.op_type == "ConvTranspose";
  const int64_t input_channels = transposed ? (*w)[0] : (*w)[1] * group;
  if ((*w)[0] % group != 0 || (x && (*x)[1] != input_channels)) {
    Reject(node, "group " + std::to_string(group) + " does not fit " +
                     (x ? std::to_string((*x)[1]) + " input channels and " : std::string()) +
                     "weights " + List(*w) + " (" +
                     (transposed ? "[C, M / group, k...]" : "[M, C / group, k...]") + ")");
  }
}

void CheckWindowOp(const ir::Graph& graph, const ir::Node& node) {
  CheckInts(node, "strides", 1);
  CheckInts(node, "dilations", 1);
  CheckInts(node, "kernel_shape", 1);
  CheckInts(node, "pads", 0);
  CheckInts(node, "output_padding", 0);
  CheckInts(node, "output_shape", 1);
  const std::string auto_pad = ir::StringAttribute(node, "auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER" &&
      auto_pad != "VALID") {
    Reject(node, "attribute auto_pad '" + auto_pad +
                     "' is none of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
  }
  const int64_t ceil_mode = ir::IntAttribute(node, "ceil_mode", 0);
  if (ceil_mode != 0 && ceil_mode != 1)
    Reject(node, "attribute ceil_mode " + std::to_string(ceil_mode) + " is not 0 or 1");
  const bool convolution = node.op_type.find("Conv") != std::string::npos;  // the ops with a group
  if (convolution) CheckGroup(graph, node);
}

}  // namespace

void ValidateAttributes(const ir::Graph& graph) {
  for (const ir::Node& node : graph.nodes) {
    if (!node.domain.empty()) continue;
    if (WindowOps().count(node.op_type)) CheckWindowOp(graph, node);
    if (node.op_type == "DepthToSpace" || node.op_type == "SpaceToDepth") {
      const int64_t blocksize = ir::IntAttribute(node, "blocksize", 0);
      if (blocksize < 1 || blocksize > INT32_MAX) {
        Reject(node, "attribute blocksize " + std::to_string(blocksize) +
                         " is out of range: it must be >= 1");
      }
    }
  }
}

}  // namespace vigil::onnx_import
