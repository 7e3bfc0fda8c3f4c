// OpTestModel: builds a small model by hand (one op or a few) and runs it on the runtime, for kernel
// golden tests and the cross-backend harness. Models go through the compiler's real planner and
// writer, so every test also exercises the verifier and Prepare.
//
//   OpTestModel m;
//   int x = m.Input({1, 1, 4});
//   int w = m.Constant({2, 1, 3}, {...});
//   int y = m.Output({1, 2, 2});
//   m.AddOp(OpCode::kConv, {x, w}, {y}, ConvParams(...));
//   std::vector<float> out = m.Run({{1, 2, 3, 4}})[0];
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/op_code.h"
#include "host/aligned_buffer.h"
#include "vgl_generated.h"
#include "vigil/interpreter.h"

namespace vigil::testing {

class OpTestModel {
 public:
  OpTestModel();
  ~OpTestModel();

  int Input(std::vector<int32_t> shape, schema::DType dtype = schema::DType::Float32);
  int Output(std::vector<int32_t> shape, schema::DType dtype = schema::DType::Float32);
  int Intermediate(std::vector<int32_t> shape, schema::DType dtype = schema::DType::Float32);
  int Constant(std::vector<int32_t> shape, const std::vector<float>& values);
  int ConstantBytes(std::vector<int32_t> shape, schema::DType dtype,
                    const std::vector<uint8_t>& bytes);
  void Quantize(int tensor, std::vector<float> scales, std::vector<int32_t> zero_points,
                int axis = -1);
  void AddOp(OpCode opcode, std::vector<int> inputs, std::vector<int> outputs,
             schema::OpParamsUnion params = {}, const std::string& name = "");

  schema::ModelT& model() { return *model_; }
  // Plans and writes the file (throws HostError if the runtime rejects it).
  std::vector<uint8_t> Build();
  // Builds, initialises (fails the test on error) and runs with float inputs; returns outputs.
  std::vector<std::vector<float>> Run(const std::vector<std::vector<float>>& inputs);
  // Builds and runs with raw input bytes; returns raw output bytes.
  std::vector<std::vector<uint8_t>> RunBytes(const std::vector<std::vector<uint8_t>>& inputs);

 private:
  int AddTensor(std::vector<int32_t> shape, schema::DType dtype);
  std::unique_ptr<schema::ModelT> model_;
};

// Parameter helpers: the ONNX defaults unless given.
schema::OpParamsUnion ConvParams(std::vector<int32_t> strides, std::vector<int32_t> pads,
                                 std::vector<int32_t> dilations, int32_t group = 1,
                                 std::vector<int32_t> output_padding = {},
                                 schema::ActivationKind activation = schema::ActivationKind::None);
schema::OpParamsUnion PoolParams(std::vector<int32_t> kernel, std::vector<int32_t> strides,
                                 std::vector<int32_t> pads, bool count_include_pad = false);
schema::OpParamsUnion ElementwiseParams(
    schema::ActivationKind activation = schema::ActivationKind::None);
schema::OpParamsUnion AxisParams(int32_t axis);
schema::OpParamsUnion ActivationParams(schema::ActivationKind kind, float min, float max,
                                       float alpha);

}  // namespace vigil::testing
