#include "compiler/import/onnx/onnx_importer.h"

#include <onnx/checker.h>

#include <cstring>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"

namespace vigil::onnx_import {
namespace {

using ir::ElementType;

template <typename Repeated>
ir::TensorData FromRepeated(ElementType type, std::vector<int64_t> shape, const Repeated& values) {
  std::vector<double> d(values.begin(), values.end());
  return ir::TensorData::FromDoubles(type, std::move(shape), d);
}

int64_t DefaultOpset(const onnx::ModelProto& model) {
  for (const auto& opset : model.opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx") return opset.version();
  }
  return 0;
}

std::vector<int64_t> InputShape(const onnx::ValueInfoProto& info, const ImportOptions& options) {
  auto overridden = options.input_shapes.find(info.name());
  if (overridden != options.input_shapes.end()) return overridden->second;
  if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) {
    throw HostError("graph input '" + info.name() + "' has no shape; give one with --input-shape " +
                    info.name() + "=...");
  }
  std::vector<int64_t> shape;
  const auto& dims = info.type().tensor_type().shape().dim();
  for (int i = 0; i < dims.size(); ++i) {
    if (dims[i].has_dim_value() && dims[i].dim_value() >= 0) {
      shape.push_back(dims[i].dim_value());
    } else if (i == 0) {
      shape.push_back(1);  // a symbolic batch dimension: the device runs one sample at a time
    } else {
      throw HostError("graph input '" + info.name() + "' has symbolic dimension " +
                      std::to_string(i) + " ('" + dims[i].dim_param() +
                      "'); give a static shape with --input-shape " + info.name() + "=...");
    }
  }
  return shape;
}

}  // namespace

ElementType FromOnnxType(int32_t t) {
  switch (t) {
    case onnx::TensorProto::FLOAT: return ElementType::kFloat32;
    case onnx::TensorProto::DOUBLE: return ElementType::kFloat64;
    case onnx::TensorProto::INT8: return ElementType::kInt8;
    case onnx::TensorProto::UINT8: return ElementType::kUInt8;
    case onnx::TensorProto::INT32: return ElementType::kInt32;
    case onnx::TensorProto::INT64: return ElementType::kInt64;
    case onnx::TensorProto::BOOL: return ElementType::kBool;
    default: return ElementType::kUnsupported;
  }
}

int32_t ToOnnxType(ElementType type) {
  switch (type) {
    case ElementType::kFloat32: return onnx::TensorProto::FLOAT;
    case ElementType::kFloat64: return onnx::TensorProto::DOUBLE;
    case ElementType::kInt8: return onnx::TensorProto::INT8;
    case ElementType::kUInt8: return onnx::TensorProto::UINT8;
    case ElementType::kInt32: return onnx::TensorProto::INT32;
    case ElementType::kInt64: return onnx::TensorProto::INT64;
    case ElementType::kBool: return onnx::TensorProto::BOOL;
    default: return onnx::TensorProto::UNDEFINED;
  }
}

ir::Node ConvertNode(const onnx::NodeProto& n,
                     const std::function<int(const std::string&)>& value_of,
                     const std::string& fallback_name) {
  ir::Node node;
  node.name = n.name().empty() ? fallback_name : n.name();
  node.op_type = n.op_type();
  node.domain = n.domain() == "ai.onnx" ? "" : n.domain();
  for (const std::string& in : n.input())
    node.inputs.push_back(in.empty() ? -1 : value_of(in));
  for (const std::string& out : n.output())
    node.outputs.push_back(out.empty() ? -1 : value_of(out));
  for (const onnx::AttributeProto& a : n.attribute()) {
    if (!a.ref_attr_name().empty())
      throw HostError(ir::Graph::Describe(node) + ": attribute references are not supported");
    node.attributes[a.name()] = a;
  }
  return node;
}

ir::TensorData DecodeTensor(const onnx::TensorProto& tensor) {
  std::vector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  for (int64_t d : shape) {
    if (d < 0) throw HostError("tensor '" + tensor.name() + "' has a negative dimension");
  }
  ElementType type = FromOnnxType(tensor.data_type());
  if (type == ElementType::kUnsupported) {
    throw HostError("tensor '" + tensor.name() + "' has unsupported ONNX data type " +
                    std::to_string(tensor.data_type()));
  }
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    throw HostError("tensor '" + tensor.name() +
                    "' keeps its data in an external file, which is not supported; "
                    "save the model with its weights inside");
  }
  const int64_t count = ir::ElementCount(shape);
  if (tensor.has_raw_data()) {
    ir::TensorData t;
    t.type = type;
    t.shape = shape;
    if (static_cast<int64_t>(tensor.raw_data().size()) !=
        count * static_cast<int64_t>(ir::ElementBytes(type))) {
      throw HostError("tensor '" + tensor.name() + "': raw data size does not match its shape");
    }
    t.bytes.assign(tensor.raw_data().begin(), tensor.raw_data().end());
    return t;
  }
  ir::TensorData t;
  switch (type) {
    case ElementType::kFloat32: t = FromRepeated(type, shape, tensor.float_data()); break;
    case ElementType::kFloat64: t = FromRepeated(type, shape, tensor.double_data()); break;
    case ElementType::kInt64:
      t = ir::TensorData::FromInt64s(shape,
                                     {tensor.int64_data().begin(), tensor.int64_data().end()});
      break;
    default:
      t = FromRepeated(type, shape, tensor.int32_data());
      break;  // int8/uint8/int32/bool live in int32_data
  }
  return t;
}

void EncodeTensor(const ir::TensorData& data, const std::string& name, onnx::TensorProto* out) {
  out->set_name(name);
  out->set_data_type(ToOnnxType(data.type));
  for (int64_t d : data.shape)
    out->add_dims(d);
  out->set_raw_data(std::string(data.bytes.begin(), data.bytes.end()));
}

ir::Graph ImportModel(const onnx::ModelProto& model, const ImportOptions& options) {
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw HostError(std::string("the ONNX checker rejects the model: ") + e.what());
  }
  ir::Graph graph;
  graph.opset = DefaultOpset(model);
  if (graph.opset < kMinOpset || graph.opset > kMaxOpset) {
    throw HostError("model imports ONNX opset " + std::to_string(graph.opset) + "; supported are " +
                    std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset));
  }
  const onnx::GraphProto& g = model.graph();
  graph.name = g.name();
  graph.doc_string = model.doc_string().empty() ? g.doc_string() : model.doc_string();
  graph.producer = model.producer_name() + " " + model.producer_version();
  graph.model_version = model.model_version();
  for (const auto& prop : model.metadata_props())
    graph.metadata[prop.key()] = prop.value();

  std::map<std::string, int> by_name;
  auto value_of = [&](const std::string& name) {
    auto it = by_name.find(name);
    if (it != by_name.end()) return it->second;
    ir::Value v;
    v.name = name;
    int id = graph.AddValue(std::move(v));
    by_name[name] = id;
    return id;
  };
  for (const onnx::TensorProto& init : g.initializer()) {
    int id = value_of(init.name());
    ir::TensorData data = DecodeTensor(init);
    graph.values[id].type = data.type;
    graph.values[id].shape = data.shape;
    graph.values[id].has_shape = true;
    graph.values[id].constant = std::move(data);
  }
  for (const onnx::ValueInfoProto& input : g.input()) {
    int id = value_of(input.name());
    ir::Value& v = graph.values[id];
    if (v.constant) continue;  // older exporters list initializers as inputs too
    auto frozen = options.frozen_inputs.find(input.name());
    if (frozen != options.frozen_inputs.end()) {
      v.type = frozen->second.type;
      v.shape = frozen->second.shape;
      v.has_shape = true;
      v.constant = frozen->second;
      continue;
    }
    v.type = FromOnnxType(input.type().tensor_type().elem_type());
    v.shape = InputShape(input, options);
    v.has_shape = true;
    graph.inputs.push_back(id);
  }
  for (const auto& [name, shape] : options.input_shapes) {
    if (!by_name.count(name) || !graph.IsGraphInput(by_name[name]))
      throw HostError("--input-shape names '" + name + "', which is not a graph input");
  }
  int unnamed = 0;
  for (const onnx::NodeProto& n : g.node()) {
    graph.nodes.push_back(ConvertNode(n, value_of, n.op_type() + "_" + std::to_string(unnamed++)));
  }
  for (const onnx::ValueInfoProto& output : g.output()) {
    const int id = value_of(output.name());
    if (!graph.IsConstant(id) && !graph.IsGraphInput(id) && graph.Producer(id) < 0) {
      throw HostError("graph output '" + output.name() +
                      "' is produced by no node and is neither a graph input nor "
                      "an initializer");
    }
    graph.outputs.push_back(id);
  }
  for (const onnx::ValueInfoProto& info : g.value_info()) {
    if (by_name.count(info.name()) && info.type().has_tensor_type()) {
      graph.values[by_name[info.name()]].type = FromOnnxType(info.type().tensor_type().elem_type());
    }
  }
  for (const onnx::ValueInfoProto& info : g.output()) {
    if (info.type().has_tensor_type())
      graph.values[by_name[info.name()]].type = FromOnnxType(info.type().tensor_type().elem_type());
  }
  return graph;
}

ir::Graph ImportFile(const std::string& path, const ImportOptions& options,
                     std::string* sha256_hex) {
  std::vector<uint8_t> bytes = ReadFileBytes(path, kModelFile);
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw HostError(path + ": not a valid ONNX model (protobuf parse failed)");
  }
  if (sha256_hex) *sha256_hex = Sha256Hex(bytes);
  try {
    return ImportModel(model, options);
  } catch (const HostError& e) {
    throw HostError(path + ": " + e.what());
  }
}

}  // namespace vigil::onnx_import
