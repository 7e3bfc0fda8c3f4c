#include "compiler/import/onnx/onnx_shape_inference.h"

#include <onnx/shape_inference/implementation.h>

#include <map>
#include <set>

#include "compiler/import/onnx/onnx_attribute_validation.h"
#include "compiler/import/onnx/onnx_importer.h"
#include "host/error.h"

namespace vigil::onnx_import {
namespace {

void SetTensorType(const ir::Value& v, onnx::ValueInfoProto* info, bool with_shape) {
  info->set_name(v.name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(ToOnnxType(v.type));
  if (with_shape && v.has_shape) {
    auto* shape = tensor->mutable_shape();
    for (int64_t d : v.shape)
      shape->add_dim()->set_dim_value(d);
  }
}

}  // namespace

onnx::ModelProto ExportModel(const ir::Graph& graph) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(graph.opset);
  onnx::GraphProto* g = model.mutable_graph();
  g->set_name(graph.name.empty() ? "graph" : graph.name);
  std::set<int> used;
  for (const ir::Node& node : graph.nodes) {
    onnx::NodeProto* n = g->add_node();
    n->set_name(node.name);
    n->set_op_type(node.op_type);
    n->set_domain(node.domain);
    for (int in : node.inputs) {
      n->add_input(in < 0 ? "" : graph.values[in].name);
      if (in >= 0) used.insert(in);
    }
    for (int out : node.outputs)
      n->add_output(out < 0 ? "" : graph.values[out].name);
    for (const auto& [name, attribute] : node.attributes)
      *n->add_attribute() = attribute;
  }
  for (int out : graph.outputs)
    used.insert(out);
  for (int in : graph.inputs)
    SetTensorType(graph.values[in], g->add_input(), true);
  for (int id : used) {
    if (graph.values[id].constant)
      EncodeTensor(*graph.values[id].constant, graph.values[id].name, g->add_initializer());
  }
  // An output's shape is left to inference, except where it is known for certain: ONNX takes a graph
  // output's type over the input or initializer of the same name, and would forget that shape.
  for (int out : graph.outputs) {
    SetTensorType(graph.values[out], g->add_output(),
                  graph.IsGraphInput(out) || graph.IsConstant(out));
  }
  return model;
}

void InferShapes(ir::Graph& graph) {
  ValidateAttributes(graph);  // libonnx divides by some attributes before it checks them
  onnx::ModelProto model = ExportModel(graph);
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/true, /*error_mode=*/1, /*data_prop=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    throw HostError(std::string("ONNX shape inference failed: ") + e.what());
  }
  std::map<std::string, const onnx::ValueInfoProto*> inferred;
  for (const auto& info : model.graph().value_info())
    inferred[info.name()] = &info;
  for (const auto& info : model.graph().output())
    inferred[info.name()] = &info;
  for (ir::Value& v : graph.values) {
    if (v.constant) continue;
    auto it = inferred.find(v.name);
    if (it == inferred.end() || !it->second->type().has_tensor_type()) continue;
    const auto& tensor = it->second->type().tensor_type();
    if (tensor.elem_type() != 0) v.type = FromOnnxType(tensor.elem_type());
    if (!tensor.has_shape()) continue;
    std::vector<int64_t> shape;
    bool is_static = true;
    for (const auto& dim : tensor.shape().dim()) {
      if (!dim.has_dim_value() || dim.dim_value() < 0) is_static = false;
      shape.push_back(dim.dim_value());
    }
    if (is_static && !graph.IsGraphInput(static_cast<int>(&v - graph.values.data()))) {
      v.shape = shape;
      v.has_shape = true;
    }
  }
}

}  // namespace vigil::onnx_import
