// The verifier's semantic checks, each reached with the header and CRC-32 recomputed so a broken
// field gets past the checksum: tensors, constant buffers, the memory plan (offsets, overlaps of
// live tensors, which in-place aliases are allowed), op codes, arity and parameters, and data
// flow (read before write, outputs never written). Each case asserts the message that names what
// is wrong. Damage to the bytes themselves (truncation, bit flips) is in
// model_file_corruption_test.cc.
#include "core/model_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "compiler/emit/model_file_writer.h"
#include "core/op_code.h"
#include "testing/broken_model_files.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using testing::Verdict;

template <typename Edit>
Verdict VerifyEdited(Edit edit) {
  std::unique_ptr<schema::ModelT> model = testing::ValidModel();
  edit(*model);
  return testing::Verify(SerializeModel(*model));
}

schema::OperatorT& Op(schema::ModelT& m, int index) {
  return *m.operators[static_cast<size_t>(index)];
}
schema::TensorT& Tensor(schema::ModelT& m, int index) {
  return *m.tensors[static_cast<size_t>(index)];
}
int ConstantIndex(schema::ModelT& m) {
  return Op(m, 0).inputs[1];
}  // the first conv's weight

#define EXPECT_REJECTED(verdict, expected_status, text)  \
  do {                                                   \
    const Verdict v_ = (verdict);                        \
    EXPECT_EQ(v_.status, expected_status) << v_.message; \
    EXPECT_THAT(v_.message, HasSubstr(text));            \
  } while (0)

TEST(ModelVerifier, AcceptsTheValidModel) {
  Verdict v = testing::Verify(testing::ValidModelFile());
  EXPECT_EQ(v.status, Status::kOk) << v.message;
  // Re-serialising an unedited copy is valid too, so every rejection below is the edit's.
  v = VerifyEdited([](schema::ModelT&) {});
  EXPECT_EQ(v.status, Status::kOk) << v.message;
}

TEST(ModelVerifier, RejectsOtherFormatVersions) {
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.format_version = 2; }),
                  Status::kUnsupportedModel,
                  "unsupported model format version 2 (this runtime reads 1)");
}

TEST(ModelVerifier, RejectsAModelWithoutOperatorsOrGraphInputsOrOutputs) {
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.operators.clear(); }),
                  Status::kInvalidModel, "model has no tensors or no operators");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.inputs.clear(); }), Status::kInvalidModel,
                  "model has no graph inputs");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.outputs = {99}; }), Status::kInvalidModel,
                  "graph outputs refer to tensor 99 of 14");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.inputs = {-1}; }), Status::kInvalidModel,
                  "graph inputs refer to tensor -1 of 14");
}

TEST(ModelVerifier, RejectsMoreTensorsThanThisBuildAllows) {
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    while (m.tensors.size() <= VIGIL_MAX_TENSORS) {
                      auto t = std::make_unique<schema::TensorT>();
                      t->shape = {1};
                      m.tensors.push_back(std::move(t));
                    }
                  }),
                  Status::kUnsupportedModel,
                  "model has 1025 tensors and 7 ops; this build allows 1024 and 512");
}

TEST(ModelVerifier, RejectsBadShapesAndDtypes) {
  EXPECT_REJECTED(
      VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).shape = {1, 1, 1, 1, 1, 1, 1}; }),
      Status::kInvalidModel, "tensor 1 ('t1'): rank 7 is over 6");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    Tensor(m, 1).shape = {1, -4, 64};
                  }),
                  Status::kInvalidModel, "tensor 't1': negative dimension -4");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    Tensor(m, 1).shape = {65536, 65536, 2};
                  }),
                  Status::kInvalidModel, "tensor 't1': over 2147483647 elements");
  // Empty, but batch x channels would overflow a kernel's int32 count of planes.
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    Tensor(m, 1).shape = {65536, 32768, 0};
                  }),
                  Status::kInvalidModel,
                  "tensor 't1': over 2147483647 elements (or leading dimensions");
  Verdict v = VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).shape = {65535, 32768, 0}; });
  EXPECT_THAT(v.message, ::testing::Not(HasSubstr("elements")));
  EXPECT_REJECTED(
      VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).dtype = static_cast<schema::DType>(7); }),
      Status::kUnsupportedModel, "tensor 't1': unknown dtype 7");
}

TEST(ModelVerifier, RejectsBadQuantization) {
  auto quantize = [](schema::TensorT& t, std::vector<float> scale, std::vector<int32_t> zero,
                     int axis) {
    t.quantization = std::make_unique<schema::QuantizationT>();
    t.quantization->scale = std::move(scale);
    t.quantization->zero_point = std::move(zero);
    t.quantization->axis = axis;
  };
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).dtype = schema::DType::Int8; }),
                  Status::kInvalidModel,
                  "tensor 't1': int8 tensor without quantization parameters");
  EXPECT_REJECTED(VerifyEdited([&](schema::ModelT& m) {
                    quantize(Tensor(m, 1), {0.5f, 0.5f}, {0}, -1);
                  }),
                  Status::kInvalidModel,
                  "tensor 't1': quantization needs as many zero points as scales");
  EXPECT_REJECTED(VerifyEdited([&](schema::ModelT& m) {
                    quantize(Tensor(m, 1), {0.5f, 0.5f}, {0, 0}, -1);
                  }),
                  Status::kInvalidModel,
                  "tensor 't1': per-tensor quantization needs exactly one scale and axis -1");
  EXPECT_REJECTED(VerifyEdited([&](schema::ModelT& m) {
                    quantize(Tensor(m, 1), {0.5f, 0.5f}, {0, 0}, 1);
                  }),
                  Status::kInvalidModel,
                  "tensor 't1': per-channel quantization axis 1 does not match 2 scales");
  EXPECT_REJECTED(VerifyEdited([&](schema::ModelT& m) { quantize(Tensor(m, 1), {0.5f}, {0}, 3); }),
                  Status::kInvalidModel,
                  "tensor 't1': per-channel quantization axis 3 does not match 1 scales");
  EXPECT_REJECTED(
      VerifyEdited([&](schema::ModelT& m) { quantize(Tensor(m, 1), {-0.5f}, {0}, -1); }),
      Status::kInvalidModel, "tensor 't1': quantization scale 0 is not a positive finite number");
  EXPECT_REJECTED(VerifyEdited([&](schema::ModelT& m) {
                    Tensor(m, 1).dtype = schema::DType::Int8;
                    quantize(Tensor(m, 1), {0.5f}, {128}, -1);
                  }),
                  Status::kInvalidModel, "tensor 't1': int8 zero point 128 is outside [-128, 127]");
}

TEST(ModelVerifier, RejectsConstantBuffersMisalignedOrOutsideTheData) {
  const char* message = "constant buffer";
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    m.buffers[static_cast<size_t>(Tensor(m, ConstantIndex(m)).buffer)] =
                        schema::Buffer(4, m.buffers[0].size());
                  }),
                  Status::kInvalidModel, message);
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    auto& b = m.buffers[static_cast<size_t>(Tensor(m, ConstantIndex(m)).buffer)];
                    b = schema::Buffer(m.constant_data.size() / 16 * 16, b.size());
                  }),
                  Status::kInvalidModel, "is misaligned, outside the");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    auto& b = m.buffers[static_cast<size_t>(Tensor(m, ConstantIndex(m)).buffer)];
                    b = schema::Buffer(b.offset(), b.size() + 4);
                  }),
                  Status::kInvalidModel, "or not the tensor's 80 bytes");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    auto& b = m.buffers[static_cast<size_t>(Tensor(m, ConstantIndex(m)).buffer)];
                    b = schema::Buffer(0xFFFFFFFFFFFFFFF0ull,
                                       b.size());  // offset + size wraps around
                  }),
                  Status::kInvalidModel, message);
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Tensor(m, ConstantIndex(m)).buffer = 99; }),
                  Status::kInvalidModel, "buffer index 99 out of range");
  EXPECT_REJECTED(
      VerifyEdited([](schema::ModelT& m) { Tensor(m, ConstantIndex(m)).arena_offset = 0; }),
      Status::kInvalidModel, "a constant must not have an arena offset");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).buffer = -2; }),
                  Status::kInvalidModel, "tensor 't1': negative buffer index");
}

TEST(ModelVerifier, RejectsConstantDataNotAt16Bytes) {
  // Shift the whole FlatBuffer by 8 bytes behind a new root offset: every offset inside stays
  // valid, but the constant data now starts 8 bytes off the 16-byte grid.
  std::vector<uint8_t> payload = testing::PayloadWithDefaults(*testing::ValidModel());
  std::vector<uint8_t> shifted(8 + payload.size());
  WriteLe32(shifted.data(), ReadLe32(payload.data()) + 8);
  std::copy(payload.begin() + 4, payload.begin() + 8, shifted.begin() + 4);  // file identifier
  std::copy(payload.begin(), payload.end(), shifted.begin() + 8);
  EXPECT_REJECTED(testing::Verify(testing::WrapPayload(shifted)), Status::kInvalidModel,
                  "constant data is not 16-byte aligned");
}

TEST(ModelVerifier, RejectsABufferTableOffThe8ByteGrid) {
  // Copy the buffer table (a vector of 16-byte structs of two uint64) to the end of the FlatBuffer
  // so its elements start 4 bytes off an 8-byte boundary, and point the model at the copy: every
  // structural check still passes (FlatBuffers aligns a vector's length prefix to 4 only).
  const std::vector<uint8_t> file = testing::ValidModelFile();
  std::vector<uint8_t> payload(file.begin() + kModelHeaderBytes, file.end());
  const schema::Model* model = schema::GetModel(payload.data());
  const size_t field =
      static_cast<size_t>(testing::FieldAddress(model, schema::Model::VT_BUFFERS) - payload.data());
  const auto* buffers = model->buffers();
  const std::vector<uint8_t> table(buffers->Data(),
                                   buffers->Data() + buffers->size() * sizeof(schema::Buffer));
  const uint32_t count = buffers->size();
  payload.resize((payload.size() + 7) / 8 * 8);
  const size_t copy = payload.size();
  payload.resize(copy + 4);
  WriteLe32(payload.data() + copy, count);
  payload.insert(payload.end(), table.begin(), table.end());
  WriteLe32(payload.data() + field, static_cast<uint32_t>(copy - field));
  EXPECT_REJECTED(testing::Verify(testing::WrapPayload(payload)), Status::kInvalidModel,
                  "the buffer table is not 8-byte aligned");
}

TEST(ModelVerifier, RejectsArenaOffsetsOutsideThePlanOrUnaligned) {
  const char* message = "is unaligned or outside the";
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    Tensor(m, 1).arena_offset = static_cast<int64_t>(m.activation_bytes);
                  }),
                  Status::kInvalidModel, message);
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).arena_offset = -16; }),
                  Status::kInvalidModel, "tensor 't1': arena offset -16 (+1024 bytes)");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).arena_offset = 2; }),
                  Status::kInvalidModel, message);
  EXPECT_REJECTED(
      VerifyEdited([](schema::ModelT& m) { Tensor(m, 1).arena_offset = INT64_MAX - 3; }),
      Status::kInvalidModel, message);
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.activation_bytes = m.arena_bytes + 16; }),
                  Status::kInvalidModel, "memory plan: activation bytes");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.arena_bytes = (uint64_t{1} << 32) + 16; }),
                  Status::kInvalidModel, "are over the runtime's limit of 4294967295");
}

// An arena the runtime cannot address is named as such, not as activation bytes "exceeding" an
// equal arena size (issue 13, item 14); and 2^32 bytes is refused too, since a device's 32-bit
// size_t would read it as 0 and pass any arena as large enough.
TEST(ModelVerifier, NamesAnArenaOverTheLimitAndRefusesOneA32BitSizeTruncates) {
  const uint64_t five_gib = uint64_t{5} << 30;
  const Verdict v =
      VerifyEdited([&](schema::ModelT& m) { m.activation_bytes = m.arena_bytes = five_gib; });
  EXPECT_EQ(v.status, Status::kInvalidModel);
  EXPECT_THAT(
      v.message,
      HasSubstr("memory plan: arena bytes 5368709120 are over the runtime's limit of 4294967295"));
  EXPECT_THAT(v.message, ::testing::Not(HasSubstr("exceed")));
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.arena_bytes = uint64_t{1} << 32; }),
                  Status::kInvalidModel,
                  "arena bytes 4294967296 are over the runtime's limit of 4294967295");
}

TEST(ModelVerifier, RejectsUnknownOpCodes) {
  const std::string count = std::to_string(kOpCount);
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 3).opcode = kOpCount; }),
                  Status::kUnsupportedModel,
                  "op 3 ('GlobalAveragePool'): unknown op code " + count + " (this runtime knows " +
                      count + " ops)");
}

TEST(ModelVerifier, RejectsBadArity) {
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 0).inputs.resize(1); }),
                  Status::kInvalidModel,
                  "op 0 ('Conv', Conv): bad arity: 1 inputs and 1 outputs, expected 2..3 and 1");
  EXPECT_REJECTED(
      VerifyEdited([](schema::ModelT& m) { Op(m, 6).outputs.push_back(1); }), Status::kInvalidModel,
      "op 6 ('Softmax', Softmax): bad arity: 1 inputs and 2 outputs, expected 1..2 and 1");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 3).inputs.push_back(1); }),
                  Status::kInvalidModel,
                  "op 3 ('GlobalAveragePool', GlobalAveragePool): bad arity: 2 inputs");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 1).outputs.clear(); }),
                  Status::kInvalidModel, "bad arity: 1 inputs and 0 outputs");
}

TEST(ModelVerifier, RejectsParametersOfTheWrongType) {
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    Op(m, 0).params = testing::PoolParams({2}, {2}, {0, 0});
                  }),
                  Status::kInvalidModel,
                  "op 0 ('Conv', Conv): parameters of type PoolParams, expected ConvParams");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 3).params = testing::AxisParams(1); }),
                  Status::kInvalidModel, "parameters of type AxisParams, expected NONE");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 6).params.Reset(); }),
                  Status::kInvalidModel,
                  "op 6 ('Softmax', Softmax): parameters of type NONE, expected AxisParams");
}

// The union's type says ConvParams but the table is absent: FlatBuffers' own verifier accepts an
// absent union value, so without this check Prepare would read through a null pointer.
TEST(ModelVerifier, RejectsAParameterTypeWithoutItsTable) {
  std::unique_ptr<schema::ModelT> model = testing::ValidModel();
  Op(*model, 6).params.Reset();  // Softmax without parameters, the type written out as NONE
  std::vector<uint8_t> payload = testing::PayloadWithDefaults(*model);
  const schema::Operator* op = schema::GetModel(payload.data())->operators()->Get(6);
  uint8_t* type = testing::FieldAddress(op, schema::Operator::VT_PARAMS_TYPE);
  ASSERT_NE(type, nullptr);
  *type = static_cast<uint8_t>(schema::OpParams::AxisParams);
  EXPECT_REJECTED(testing::Verify(testing::WrapPayload(payload)), Status::kInvalidModel,
                  "op 6 ('Softmax', Softmax): parameters of type AxisParams are missing");
}

TEST(ModelVerifier, RejectsTensorIndicesOutOfRange) {
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 2).inputs[0] = 14; }),
                  Status::kInvalidModel, "op 2 ('Conv'): input 0 refers to tensor 14 of 14");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 2).inputs[1] = -1; }),
                  Status::kInvalidModel, "op 2 ('Conv'): input 1 refers to tensor -1 of 14");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 2).outputs[0] = ConstantIndex(m); }),
                  Status::kInvalidModel, "op 2 ('Conv'): output 0 is tensor");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 2).outputs[0] = -3; }),
                  Status::kInvalidModel,
                  "op 2 ('Conv'): output 0 is tensor -3, not a planned tensor");
}

TEST(ModelVerifier, AcceptsAnAbsentOptionalInputOnly) {
  Verdict v =
      VerifyEdited([](schema::ModelT& m) { Op(m, 0).inputs[2] = -1; });  // Conv without bias
  EXPECT_EQ(v.status, Status::kOk) << v.message;
}

TEST(ModelVerifier, RejectsReadBeforeWrite) {
  EXPECT_REJECTED(
      VerifyEdited([](schema::ModelT& m) { std::swap(m.operators[1], m.operators[2]); }),
      Status::kInvalidModel, "op 1 ('Conv') reads tensor 't2' before any op writes it");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 1).inputs[0] = 3; }),
                  Status::kInvalidModel,
                  "op 1 ('MaxPool') reads tensor 't3' before any op writes it");
}

TEST(ModelVerifier, RejectsTensorsWrittenTwiceOrOverAGraphInput) {
  EXPECT_REJECTED(
      VerifyEdited([](schema::ModelT& m) { Op(m, 2).outputs[0] = Op(m, 1).outputs[0]; }),
      Status::kInvalidModel,
      "op 2 ('Conv') writes tensor 't2', which is already written or a graph input");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { Op(m, 0).outputs[0] = m.inputs[0]; }),
                  Status::kInvalidModel,
                  "op 0 ('Conv') writes tensor 't0', which is already written or a graph input");
}

TEST(ModelVerifier, RejectsGraphOutputsNeverWrittenAndConstantGraphInputs) {
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) {
                    auto t = std::make_unique<schema::TensorT>();
                    t->name = "never_written";
                    t->shape = {4};
                    t->arena_offset = 0;
                    m.tensors.push_back(std::move(t));
                    m.outputs.push_back(static_cast<int32_t>(m.tensors.size() - 1));
                  }),
                  Status::kInvalidModel, "graph output 'never_written' is never written");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.outputs.push_back(ConstantIndex(m)); }),
                  Status::kInvalidModel, "is never written");
  EXPECT_REJECTED(VerifyEdited([](schema::ModelT& m) { m.inputs.push_back(ConstantIndex(m)); }),
                  Status::kInvalidModel, "is a constant");
}

// x -> Relu -> a; x -> Sigmoid -> b; Add(b, a) -> y, planned: y over b in place (Add allows it,
// b is input 0 and dies there). Tensors t0 = x, t1 = a, t2 = b, t3 = y.
struct PlanModel {
  testing::OpTestModel model;
  PlanModel() {
    int x = model.Input({4}), a = model.Intermediate({4}), b = model.Intermediate({4});
    model.AddOp(OpCode::kRelu, {x}, {a});
    model.AddOp(OpCode::kSigmoid, {x}, {b});
    model.AddOp(OpCode::kAdd, {b, a}, {model.Output({4})}, testing::ElementwiseParams());
    model.Build();
  }
  int64_t& offset(int tensor) {
    return model.model().tensors[static_cast<size_t>(tensor)]->arena_offset;
  }
  Verdict Verify() { return testing::Verify(SerializeModel(model.model())); }
};

TEST(ModelVerifier, RejectsLiveTensorsSharingArenaBytes) {
  PlanModel planned;
  ASSERT_EQ(planned.offset(3), planned.offset(2)) << "the planner put Add in place";
  EXPECT_EQ(planned.Verify().status, Status::kOk);
  PlanModel m;
  m.offset(1) = m.offset(0);  // a is born at op 0 while x lives until op 1
  EXPECT_REJECTED(
      m.Verify(), Status::kInvalidModel,
      "memory plan: tensors 't0' and 't1' are live at the same time and share arena bytes");
  PlanModel partial;
  partial.offset(2) = partial.offset(1) + 4;  // b overlaps a by 12 bytes while both live
  EXPECT_REJECTED(partial.Verify(), Status::kInvalidModel,
                  "are live at the same time and share arena bytes");
}

TEST(ModelVerifier, RejectsAnInPlaceAliasOfAnyInputButInput0) {
  PlanModel m;
  std::swap(m.offset(1), m.offset(2));  // a and b trade places, y stays: now y aliases input 1 (a)
  EXPECT_REJECTED(
      m.Verify(), Status::kInvalidModel,
      "memory plan: tensors 't1' and 't3' are live at the same time and share arena bytes");
}

TEST(ModelVerifier, RejectsAnInPlaceAliasForAnOpThatDoesNotAllowIt) {
  for (OpCode opcode : {OpCode::kRelu, OpCode::kSoftmax}) {
    // x -> Relu -> a -> op -> y, with y forced over a.
    testing::OpTestModel model;
    int x = model.Input({1, 4}), a = model.Intermediate({1, 4}), y = model.Output({1, 4});
    model.AddOp(OpCode::kRelu, {x}, {a});
    model.AddOp(opcode, {a}, {y},
                opcode == OpCode::kSoftmax ? testing::AxisParams(1) : schema::OpParamsUnion());
    model.Build();
    model.model().tensors[static_cast<size_t>(y)]->arena_offset =
        model.model().tensors[static_cast<size_t>(a)]->arena_offset;
    Verdict v = testing::Verify(SerializeModel(model.model()));
    if (opcode == OpCode::kRelu) {
      EXPECT_EQ(v.status, Status::kOk) << v.message;  // ops.def: Relu may run in place
    } else {
      EXPECT_REJECTED(v, Status::kInvalidModel,
                      "memory plan: tensors 't1' and 't2' are live at the same time");
    }
  }
}

TEST(ModelVerifier, MessagesFitTheCallersBuffer) {
  std::vector<uint8_t> file = testing::ValidModelFile();
  file[20] ^= 1;
  AlignedBuffer aligned(file);
  char small[12];
  std::memset(small, 'x', sizeof(small));
  EXPECT_EQ(VerifyModel(aligned.data(), aligned.size(), small, sizeof(small)),
            Status::kInvalidModel);
  EXPECT_STREQ(small, "model file ");
  EXPECT_EQ(VerifyModel(aligned.data(), aligned.size(), nullptr, 0), Status::kInvalidModel);
  size_t arena = 12345;
  EXPECT_EQ(ReadArenaBytes(aligned.data(), aligned.size(), &arena), Status::kInvalidModel);
  EXPECT_EQ(arena, 12345u);
}

}  // namespace
}  // namespace vigil
