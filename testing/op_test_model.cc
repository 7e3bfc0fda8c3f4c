#include "testing/op_test_model.h"

#include <cstring>

#include "compiler/emit/model_file_writer.h"
#include "host/error.h"

namespace vigil::testing {

OpTestModel::OpTestModel() : model_(std::make_unique<schema::ModelT>()) {}
OpTestModel::~OpTestModel() = default;

int OpTestModel::AddTensor(std::vector<int32_t> shape, schema::DType dtype) {
  auto t = std::make_unique<schema::TensorT>();
  t->name = "t" + std::to_string(model_->tensors.size());
  t->shape = std::move(shape);
  t->dtype = dtype;
  model_->tensors.push_back(std::move(t));
  return static_cast<int>(model_->tensors.size() - 1);
}

int OpTestModel::Input(std::vector<int32_t> shape, schema::DType dtype) {
  int t = AddTensor(std::move(shape), dtype);
  model_->inputs.push_back(t);
  return t;
}

int OpTestModel::Output(std::vector<int32_t> shape, schema::DType dtype) {
  int t = AddTensor(std::move(shape), dtype);
  model_->outputs.push_back(t);
  return t;
}

int OpTestModel::Intermediate(std::vector<int32_t> shape, schema::DType dtype) {
  return AddTensor(std::move(shape), dtype);
}

int OpTestModel::ConstantBytes(std::vector<int32_t> shape, schema::DType dtype,
                               const std::vector<uint8_t>& bytes) {
  int t = AddTensor(std::move(shape), dtype);
  auto& data = model_->constant_data;
  data.resize((data.size() + 15) / 16 * 16);
  model_->buffers.emplace_back(data.size(), bytes.size());
  data.insert(data.end(), bytes.begin(), bytes.end());
  model_->tensors[static_cast<size_t>(t)]->buffer =
      static_cast<int32_t>(model_->buffers.size() - 1);
  return t;
}

int OpTestModel::Constant(std::vector<int32_t> shape, const std::vector<float>& values) {
  std::vector<uint8_t> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return ConstantBytes(std::move(shape), schema::DType::Float32, bytes);
}

void OpTestModel::Quantize(int tensor, std::vector<float> scales, std::vector<int32_t> zero_points,
                           int axis) {
  auto q = std::make_unique<schema::QuantizationT>();
  q->scale = std::move(scales);
  q->zero_point = std::move(zero_points);
  q->axis = axis;
  model_->tensors[static_cast<size_t>(tensor)]->quantization = std::move(q);
}

void OpTestModel::AddOp(OpCode opcode, std::vector<int> inputs, std::vector<int> outputs,
                        schema::OpParamsUnion params, const std::string& name) {
  auto op = std::make_unique<schema::OperatorT>();
  op->opcode = static_cast<uint16_t>(opcode);
  op->inputs.assign(inputs.begin(), inputs.end());
  op->outputs.assign(outputs.begin(), outputs.end());
  op->params = std::move(params);
  op->name = name.empty() ? std::string(kOpInfo[static_cast<int>(opcode)].name) : name;
  model_->operators.push_back(std::move(op));
}

std::vector<uint8_t> OpTestModel::Build() {
  return BuildModelFile(*model_);
}

std::vector<std::vector<uint8_t>> OpTestModel::RunBytes(
    const std::vector<std::vector<uint8_t>>& inputs) {
  AlignedBuffer file(Build());
  AlignedBuffer arena(static_cast<size_t>(model_->arena_bytes));
  auto interpreter = std::make_unique<Interpreter>();
  if (interpreter->Init(file.data(), file.size(), arena.data(), arena.size()) != Status::kOk) {
    throw HostError(std::string("Init failed: ") + interpreter->error());
  }
  if (inputs.size() != static_cast<size_t>(interpreter->input_count()))
    throw HostError("wrong number of inputs");
  for (size_t i = 0; i < inputs.size(); ++i) {
    TensorView in = interpreter->input(static_cast<int>(i));
    if (in.bytes() != inputs[i].size())
      throw HostError("input " + std::to_string(i) + " has the wrong size");
    if (!inputs[i].empty()) std::memcpy(in.data, inputs[i].data(), inputs[i].size());
  }
  if (interpreter->Invoke() != Status::kOk)
    throw HostError(std::string("Invoke failed: ") + interpreter->error());
  std::vector<std::vector<uint8_t>> outputs;
  for (int i = 0; i < interpreter->output_count(); ++i) {
    TensorView out = interpreter->output(i);
    const uint8_t* p = out.data_as<const uint8_t>();
    outputs.emplace_back(p, p + out.bytes());
  }
  return outputs;
}

std::vector<std::vector<float>> OpTestModel::Run(const std::vector<std::vector<float>>& inputs) {
  std::vector<std::vector<uint8_t>> raw;
  for (const auto& in : inputs) {
    std::vector<uint8_t> bytes(in.size() * 4);
    if (!in.empty()) std::memcpy(bytes.data(), in.data(), bytes.size());
    raw.push_back(std::move(bytes));
  }
  std::vector<std::vector<float>> out;
  for (const auto& bytes : RunBytes(raw)) {
    std::vector<float> values(bytes.size() / 4);
    if (!values.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
    out.push_back(std::move(values));
  }
  return out;
}

schema::OpParamsUnion ConvParams(std::vector<int32_t> strides, std::vector<int32_t> pads,
                                 std::vector<int32_t> dilations, int32_t group,
                                 std::vector<int32_t> output_padding,
                                 schema::ActivationKind activation) {
  schema::ConvParamsT p;
  p.strides = std::move(strides);
  p.pads = std::move(pads);
  p.dilations = std::move(dilations);
  p.group = group;
  p.output_padding = std::move(output_padding);
  p.activation = std::make_unique<schema::ActivationT>();
  p.activation->kind = activation;
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  return u;
}

schema::OpParamsUnion PoolParams(std::vector<int32_t> kernel, std::vector<int32_t> strides,
                                 std::vector<int32_t> pads, bool count_include_pad) {
  schema::PoolParamsT p;
  p.kernel = std::move(kernel);
  p.strides = std::move(strides);
  p.pads = std::move(pads);
  p.count_include_pad = count_include_pad;
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  return u;
}

schema::OpParamsUnion ElementwiseParams(schema::ActivationKind activation) {
  schema::ElementwiseParamsT p;
  p.activation = std::make_unique<schema::ActivationT>();
  p.activation->kind = activation;
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  return u;
}

schema::OpParamsUnion AxisParams(int32_t axis) {
  schema::AxisParamsT p;
  p.axis = axis;
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  return u;
}

schema::OpParamsUnion ActivationParams(schema::ActivationKind kind, float min, float max,
                                       float alpha) {
  schema::ActivationT p;
  p.kind = kind;
  p.min = min;
  p.max = max;
  p.alpha = alpha;
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  return u;
}

}  // namespace vigil::testing
