#include "compiler/lower/lowering.h"

#include <climits>

#include "host/error.h"

namespace vigil::lower {
namespace {

struct Lowering {
  const char* onnx_op;
  LowerFn lower;
};

// Vigil ops carry their ONNX names (ops.def); the aliases after them map other ONNX ops on them.
const std::vector<Lowering>& LoweringTable() {
  static const std::vector<Lowering> table = {
#define VIGIL_OP(name, params, min_inputs, max_inputs, outputs, in_place) {#name, &Lower##name},
#include "ops.def"
#undef VIGIL_OP
      {"Flatten", &LowerReshape},
      {"Squeeze", &LowerReshape},
      {"Unsqueeze", &LowerReshape},
      {"Identity", &LowerReshape},
      {"Dropout", &LowerDropout},
      {"Upsample", &LowerResize},
      {"BatchNormalization", &LowerBatchNormalization},
  };
  return table;
}

schema::DType ModelDType(ir::ElementType type) {
  switch (type) {
    case ir::ElementType::kFloat32: return schema::DType::Float32;
    case ir::ElementType::kInt8: return schema::DType::Int8;
    case ir::ElementType::kInt32: return schema::DType::Int32;
    default:
      throw HostError(std::string("element type ") + ir::ElementTypeName(type) +
                      " cannot reach the runtime");
  }
}

std::vector<int32_t> ShapeToInt32(const std::vector<int64_t>& shape, const std::string& what) {
  std::vector<int32_t> out;
  for (int64_t d : shape) {
    if (d < 0 || d > INT32_MAX)
      throw HostError(what + ": dimension " + std::to_string(d) + " out of range");
    out.push_back(static_cast<int32_t>(d));
  }
  return out;
}

}  // namespace

LoweringContext::LoweringContext(const ir::Graph& graph, schema::ModelT& model)
    : graph_(graph), model_(model) {}

const ir::Value& LoweringContext::InputValue(size_t k) const {
  if (!HasInput(k)) Fail("input " + std::to_string(k) + " is missing");
  return graph_.values[node_->inputs[k]];
}

const ir::Value& LoweringContext::OutputValue(size_t k) const {
  if (k >= node_->outputs.size() || node_->outputs[k] < 0)
    Fail("output " + std::to_string(k) + " is missing");
  return graph_.values[node_->outputs[k]];
}

const ir::TensorData& LoweringContext::ConstantInput(size_t k, const std::string& what) const {
  const ir::Value& v = InputValue(k);
  if (!v.constant)
    Fail("input " + std::to_string(k) + " ('" + what + "', value '" + v.name +
         "') must be a constant known at compile time");
  return *v.constant;
}

int LoweringContext::Tensor(int value) {
  auto it = tensor_of_value_.find(value);
  if (it != tensor_of_value_.end()) return it->second;
  const ir::Value& v = graph_.values[value];
  if (!v.has_shape) Fail("the shape of '" + v.name + "' is not known at compile time");
  int index;
  if (v.constant) {
    index = NewConstant(v.name, *v.constant);
  } else {
    if (v.type != ir::ElementType::kFloat32) {
      Fail("value '" + v.name + "' is " + ir::ElementTypeName(v.type) +
           "; the runtime computes float32 activations");
    }
    index = NewIntermediate(v.name, v.shape);
  }
  tensor_of_value_[value] = index;
  return index;
}

int LoweringContext::Input(size_t k) {
  return HasInput(k) ? Tensor(node_->inputs[k]) : -1;
}

int LoweringContext::Output(size_t k) {
  OutputValue(k);
  return Tensor(node_->outputs[k]);
}

int LoweringContext::NewConstant(const std::string& name, const ir::TensorData& data) {
  ir::TensorData stored = data;
  if (data.type != ir::ElementType::kFloat32 && data.type != ir::ElementType::kInt8 &&
      data.type != ir::ElementType::kInt32) {
    stored = ir::TensorData::FromDoubles(ir::ElementType::kFloat32, data.shape, data.ToDoubles());
  }
  auto t = std::make_unique<schema::TensorT>();
  t->name = name;
  t->shape = ShapeToInt32(stored.shape, name);
  t->dtype = ModelDType(stored.type);
  auto& blob = model_.constant_data;
  blob.resize((blob.size() + 15) / 16 * 16);
  model_.buffers.emplace_back(blob.size(), stored.bytes.size());
  blob.insert(blob.end(), stored.bytes.begin(), stored.bytes.end());
  t->buffer = static_cast<int32_t>(model_.buffers.size() - 1);
  model_.tensors.push_back(std::move(t));
  return static_cast<int>(model_.tensors.size() - 1);
}

int LoweringContext::NewIntermediate(const std::string& name, const std::vector<int64_t>& shape) {
  auto t = std::make_unique<schema::TensorT>();
  t->name = name;
  t->shape = ShapeToInt32(shape, name);
  t->dtype = schema::DType::Float32;
  model_.tensors.push_back(std::move(t));
  return static_cast<int>(model_.tensors.size() - 1);
}

void LoweringContext::Emit(OpCode opcode, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                           schema::OpParamsUnion params, const std::string& suffix) {
  auto op = std::make_unique<schema::OperatorT>();
  op->opcode = static_cast<uint16_t>(opcode);
  op->inputs = std::move(inputs);
  op->outputs = std::move(outputs);
  op->params = std::move(params);
  op->name = node_->name + suffix;
  model_.operators.push_back(std::move(op));
}

std::unique_ptr<schema::ActivationT> LoweringContext::Activation() const {
  auto a = std::make_unique<schema::ActivationT>();
  const ir::FusedActivation& f = node_->activation;
  switch (f.kind) {
    case ir::ActivationKind::kNone: a->kind = schema::ActivationKind::None; break;
    case ir::ActivationKind::kRelu: a->kind = schema::ActivationKind::Relu; break;
    case ir::ActivationKind::kClip: a->kind = schema::ActivationKind::Clip; break;
    case ir::ActivationKind::kLeakyRelu: a->kind = schema::ActivationKind::LeakyRelu; break;
  }
  a->min = f.min;
  a->max = f.max;
  a->alpha = f.alpha;
  return a;
}

void LoweringContext::Fail(const std::string& message) const {
  if (!node_) throw HostError(message);
  throw HostError(ir::Graph::Describe(*node_) + ": " + message);
}

std::vector<int32_t> ToInt32(const std::vector<int64_t>& values, const LoweringContext& ctx) {
  std::vector<int32_t> out;
  for (int64_t v : values) {
    if (v < INT32_MIN || v > INT32_MAX)
      ctx.Fail("value " + std::to_string(v) + " does not fit in 32 bits");
    out.push_back(static_cast<int32_t>(v));
  }
  return out;
}

int64_t NormalizeAxis(int64_t axis, int64_t rank, const LoweringContext& ctx) {
  if (axis < -rank || axis >= rank)
    ctx.Fail("axis " + std::to_string(axis) + " out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

std::vector<std::string> SupportedOnnxOps() {
  std::vector<std::string> ops;
  for (const Lowering& l : LoweringTable())
    ops.push_back(l.onnx_op);
  return ops;
}

void LowerGraph(const ir::Graph& graph, schema::ModelT& model) {
  LoweringContext ctx(graph, model);
  for (const ir::Node& node : graph.nodes) {
    ctx.set_node(&node);
    const Lowering* found = nullptr;
    for (const Lowering& l : LoweringTable()) {
      if (node.op_type == l.onnx_op && node.domain.empty()) found = &l;
    }
    if (!found) {
      ctx.Fail("unsupported op '" + (node.domain.empty() ? "" : node.domain + ".") + node.op_type +
               "'");
    }
    found->lower(ctx);
  }
  ctx.set_node(nullptr);  // what follows belongs to the graph, not to the last node lowered
  for (int in : graph.inputs) {
    if (graph.values[in].type != ir::ElementType::kFloat32) {
      throw HostError("graph input '" + graph.values[in].name + "' is " +
                      ir::ElementTypeName(graph.values[in].type) +
                      "; model inputs must be float32");
    }
    model.inputs.push_back(ctx.Tensor(in));
  }
  // A graph output that no op writes (a graph input, a constant, or a value written twice to the
  // outputs list) gets its own copy so every output is a distinct planned tensor.
  ir::Node copy_node;
  copy_node.op_type = "Identity";
  for (int out : graph.outputs) {
    int tensor = ctx.Tensor(out);
    bool written = false;
    for (const auto& op : model.operators) {
      for (int32_t o : op->outputs)
        written = written || o == tensor;
    }
    bool listed =
        std::find(model.outputs.begin(), model.outputs.end(), tensor) != model.outputs.end();
    if (!written || listed) {
      copy_node.name = graph.values[out].name + "_copy";
      ctx.set_node(&copy_node);
      int copy = ctx.NewIntermediate(graph.values[out].name, graph.values[out].shape);
      ctx.Emit(OpCode::kReshape, {tensor}, {copy});
      ctx.set_node(nullptr);
      tensor = copy;
    }
    model.outputs.push_back(tensor);
  }
}

}  // namespace vigil::lower
