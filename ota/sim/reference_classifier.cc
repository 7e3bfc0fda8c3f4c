#include "ota/sim/reference_classifier.h"

#include <cstring>
#include <memory>

#include "compiler/emit/model_file_writer.h"
#include "core/op_code.h"

namespace vigil::ota::sim {
namespace {

int AddTensor(schema::ModelT& model, const char* name, std::vector<int32_t> shape) {
  auto t = std::make_unique<schema::TensorT>();
  t->name = name;
  t->shape = std::move(shape);
  t->dtype = schema::DType::Float32;
  model.tensors.push_back(std::move(t));
  return static_cast<int>(model.tensors.size() - 1);
}

int AddConstant(schema::ModelT& model, const char* name, std::vector<int32_t> shape,
                const std::vector<float>& values) {
  int t = AddTensor(model, name, std::move(shape));
  model.constant_data.resize((model.constant_data.size() + 15) / 16 * 16);
  model.buffers.emplace_back(model.constant_data.size(), values.size() * sizeof(float));
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(values.data());
  model.constant_data.insert(model.constant_data.end(), bytes,
                             bytes + values.size() * sizeof(float));
  model.tensors[static_cast<size_t>(t)]->buffer = static_cast<int32_t>(model.buffers.size() - 1);
  return t;
}

}  // namespace

std::vector<uint8_t> BuildReferenceClassifier(float bias0, bool swapped) {
  schema::ModelT model;
  int x = AddTensor(model, "point", {1, 2});
  std::vector<float> w = swapped ? std::vector<float>{0, 1, 1, 0} : std::vector<float>{1, 0, 0, 1};
  int weights = AddConstant(model, "weights", {2, 2}, w);
  int bias = AddConstant(model, "bias", {2}, {bias0, 0.0f});
  int y = AddTensor(model, "logits", {1, 2});
  model.inputs = {x};
  model.outputs = {y};
  auto op = std::make_unique<schema::OperatorT>();
  op->opcode = static_cast<uint16_t>(OpCode::kGemm);
  op->inputs = {x, weights, bias};
  op->outputs = {y};
  schema::GemmParamsT params;
  params.activation = std::make_unique<schema::ActivationT>();
  op->params.Set(std::move(params));
  op->name = "classifier";
  model.operators.push_back(std::move(op));
  return BuildModelFile(model);
}

ValidationSet ReferenceValidationSet() {
  const float points[20][2] = {
      // class 0: x0 > x1
      {1, 0},
      {2, 0.5f},
      {0.9f, 0.1f},
      {3, 1},
      {1.5f, 1.2f},
      {0.7f, 0.2f},
      {2.2f, 2.0f},
      {1.1f, 0.3f},
      {4, 3.5f},
      {0.6f, 0.5f},
      // class 1: x1 > x0; (2, 2.1) and (0.5, 0.6) lie 0.1 above the diagonal, (1.2, 1.5) 0.3
      {0, 1},
      {0.5f, 2},
      {0.1f, 0.9f},
      {1, 3},
      {1.2f, 1.5f},
      {0.2f, 0.7f},
      {2, 2.1f},
      {0.3f, 1.1f},
      {3.5f, 4},
      {0.5f, 0.6f}};
  std::vector<float> flat(&points[0][0], &points[0][0] + 40);
  std::vector<int32_t> labels(20, 0);
  for (int i = 10; i < 20; ++i)
    labels[static_cast<size_t>(i)] = 1;
  ValidationSet set;
  set.inputs = {{"point", NpyArray::FromFloat(flat, {20, 2})}};
  set.expected = NpyArray::FromBytes(
      NpyType::kInt32, {reinterpret_cast<const uint8_t*>(labels.data()), labels.size() * 4}, {20});
  return set;
}

}  // namespace vigil::ota::sim
