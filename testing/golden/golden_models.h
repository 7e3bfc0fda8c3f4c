// Golden cases as runnable models: each case of testing/golden/golden_cases.h becomes a small model
// built with OpTestModel (so it goes through the real memory planner, writer and verifier), plus
// the inputs to feed it. Used by the kernel tests beside runtime/kernels/reference/ and by the
// fuzzer's seed corpus (testing/fuzz/).
//
//   GoldenModel m = ConvModel(kConvCases[0], OpCode::kConv);
//   std::vector<float> y = RunGolden(m);   // compare with m.expected->values
#pragma once

#include <memory>
#include <vector>

#include "testing/golden/golden_cases.h"
#include "testing/op_test_model.h"

namespace vigil::testing::golden {

struct GoldenModel {
  std::unique_ptr<OpTestModel> model = std::make_unique<OpTestModel>();
  std::vector<std::vector<float>> inputs;  // graph inputs, in order
  const Tensor* expected = nullptr;
  schema::DType input_dtype = schema::DType::Float32;  // of the graph inputs
  schema::DType dtype = schema::DType::Float32;        // of the output
  int op_input = -1;                                   // tensor index of the op's input 0
  int op_output = -1;                                  // tensor index of the op's output
};

// kInPlace feeds the op's input 0 through a Reshape copy, so the planner may let the op write its
// output over that input (a graph input is never overwritten).
enum class Routing { kDirect, kInPlace };

GoldenModel ConvModel(const ConvCase& c, OpCode opcode);
GoldenModel PoolModel(const PoolCase& c, OpCode opcode);
GoldenModel UnaryModel(const UnaryCase& c, OpCode opcode, Routing routing = Routing::kDirect);
GoldenModel BinaryModel(const BinaryCase& c, OpCode opcode, Routing routing = Routing::kDirect);
GoldenModel GemmModel(const GemmCase& c);
GoldenModel MatMulModel(const MatMulCase& c);
GoldenModel SoftmaxModel(const SoftmaxCase& c);
GoldenModel ResizeModel(const ResizeCase& c);
GoldenModel QuantizeModel(const QuantizeCase& c);
GoldenModel DequantizeModel(const QuantizeCase& c);
// Data movement runs in any dtype: int8 tensors get scale 1 and zero point 0 (the pad value for
// Pad, whose int8 fill is the zero point), so integer goldens hold unchanged.
GoldenModel ConcatModel(const ConcatCase& c, schema::DType dtype = schema::DType::Float32);
GoldenModel TransposeModel(const TransposeCase& c, schema::DType dtype = schema::DType::Float32);
GoldenModel PadModel(const PadCase& c, schema::DType dtype = schema::DType::Float32);
GoldenModel SliceModel(const SliceCase& c, schema::DType dtype = schema::DType::Float32);

// Whole models (testing/golden/models/): the same graphs cases_models.py runs in torch.
GoldenModel TinyUNetModel(const TinyUNetCase& c);
GoldenModel EcgCnnModel(const EcgCnnCase& c);

// Builds, runs and returns the output as floats (converting int8/int32 both ways).
std::vector<float> RunGolden(GoldenModel& m);

// Every golden case of every op, as a model (the fuzzer's seed corpus).
std::vector<GoldenModel> AllGoldenModels();

// Parameter tables for a case, for tests that alter one field.
schema::OpParamsUnion ConvParamsOf(const ConvCase& c);
schema::OpParamsUnion PoolParamsOf(const PoolCase& c);
std::unique_ptr<schema::ActivationT> ActivationOf(const Activation& a);

}  // namespace vigil::testing::golden
