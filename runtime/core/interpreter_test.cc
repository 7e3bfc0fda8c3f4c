// Interpreter: whole models against torch, the arena contract ("arena too small: need N bytes" with
// the exact N, and the bytes Init + Invoke actually touch equal to the model's arena_bytes), the
// caller's pointers and alignment, and the order of calls (Invoke before Init, partial ranges).
#include "vigil/interpreter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "host/aligned_buffer.h"
#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/conv_golden.h"
#include "testing/golden/models/ecg_cnn_golden.h"
#include "testing/golden/models/tiny_unet_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

// A model file at a 16-byte aligned address, with its planned arena size.
struct BuiltModel {
  golden::GoldenModel golden;
  AlignedBuffer file;
  size_t arena_bytes = 0;
};

BuiltModel Build(golden::GoldenModel m) {
  BuiltModel b{std::move(m), {}, 0};
  b.file = AlignedBuffer(b.golden.model->Build());
  b.arena_bytes = static_cast<size_t>(b.golden.model->model().arena_bytes);
  return b;
}

BuiltModel TinyUNet() {
  return Build(golden::TinyUNetModel(golden::kTinyUNetCases[0]));
}
BuiltModel EcgCnn() {
  return Build(golden::EcgCnnModel(golden::kEcgCnnCases[0]));
}
BuiltModel OneConv() {
  return Build(golden::ConvModel(golden::kConvCases[1], OpCode::kConv));
}

void FeedInputs(Interpreter& interpreter, const golden::GoldenModel& m) {
  for (int i = 0; i < interpreter.input_count(); ++i) {
    TensorView in = interpreter.input(i);
    ASSERT_EQ(in.bytes(), m.inputs[static_cast<size_t>(i)].size() * sizeof(float));
    std::memcpy(in.data, m.inputs[static_cast<size_t>(i)].data(), in.bytes());
  }
}

std::vector<float> Output(const Interpreter& interpreter) {
  TensorView out = interpreter.output(0);
  const float* p = out.data_as<const float>();
  return std::vector<float>(p, p + out.shape.ElementCount());
}

TEST(WholeModel, TinyUNetMatchesTorch) {
  golden::GoldenModel m = golden::TinyUNetModel(golden::kTinyUNetCases[0]);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

TEST(WholeModel, EcgCnnMatchesTorch) {
  golden::GoldenModel m = golden::EcgCnnModel(golden::kEcgCnnCases[0]);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

TEST(Arena, TooSmallByOneByteNamesTheExactSize) {
  for (BuiltModel (*make)() : {&OneConv, &EcgCnn, &TinyUNet}) {
    BuiltModel b = make();
    ASSERT_GT(b.arena_bytes, 0u);
    AlignedBuffer arena(b.arena_bytes);
    Interpreter interpreter;
    EXPECT_EQ(interpreter.Init(b.file.data(), b.file.size(), arena.data(), b.arena_bytes - 1),
              Status::kArenaTooSmall);
    EXPECT_EQ(std::string(interpreter.error()),
              "arena too small: need " + std::to_string(b.arena_bytes) + " bytes, have " +
                  std::to_string(b.arena_bytes - 1));
    EXPECT_EQ(interpreter.arena_bytes_required(), b.arena_bytes);
    size_t read = 0;
    EXPECT_EQ(ReadArenaBytes(b.file.data(), b.file.size(), &read), Status::kOk);
    EXPECT_EQ(read, b.arena_bytes);
    EXPECT_EQ(interpreter.Init(b.file.data(), b.file.size(), arena.data(), b.arena_bytes),
              Status::kOk)
        << interpreter.error();
    EXPECT_STREQ(interpreter.error(), "");
  }
}

// The highest arena byte that differs from `fill` after Init + Invoke, plus one (0 when none).
size_t TouchedBytes(BuiltModel& b, uint8_t fill, size_t slack) {
  AlignedBuffer arena(b.arena_bytes + slack);
  std::memset(arena.data(), fill, arena.size());
  Interpreter interpreter;
  EXPECT_EQ(interpreter.Init(b.file.data(), b.file.size(), arena.data(), arena.size()),
            Status::kOk);
  FeedInputs(interpreter, b.golden);
  EXPECT_EQ(interpreter.Invoke(), Status::kOk) << interpreter.error();
  golden::ExpectMatches(Output(interpreter), *b.golden.expected);
  size_t touched = arena.size();
  while (touched > 0 && arena.data()[touched - 1] == fill)
    --touched;
  return touched;
}

// Two canaries: a byte the model writes may equal one of them, never both.
TEST(Arena, BytesTouchedByInitAndInvokeEqualThePlannedSize) {
  for (BuiltModel (*make)() : {&OneConv, &EcgCnn, &TinyUNet}) {
    BuiltModel b = make();
    const size_t slack = 4096;  // given to Init as well: the runtime must not use it
    const size_t touched = std::max(TouchedBytes(b, 0xA5, slack), TouchedBytes(b, 0x5A, slack));
    EXPECT_EQ(touched, b.arena_bytes);
  }
}

TEST(Arena, EveryGoldenModelTouchesExactlyItsPlan) {
  int checked = 0;
  for (golden::GoldenModel& m : golden::AllGoldenModels()) {
    if (m.dtype != schema::DType::Float32 || m.input_dtype != schema::DType::Float32)
      continue;  // floats only
    BuiltModel b = Build(std::move(m));
    if (b.arena_bytes == 0) continue;
    SCOPED_TRACE(b.golden.model->model().operators[0]->name);
    EXPECT_EQ(std::max(TouchedBytes(b, 0xA5, 64), TouchedBytes(b, 0x5A, 64)), b.arena_bytes);
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

TEST(Arena, MustBeNonNullAnd16ByteAligned) {
  BuiltModel b = OneConv();
  AlignedBuffer arena(b.arena_bytes + 16);
  Interpreter interpreter;
  for (uint8_t* bad : {static_cast<uint8_t*>(nullptr), arena.data() + 1, arena.data() + 8}) {
    EXPECT_EQ(interpreter.Init(b.file.data(), b.file.size(), bad, b.arena_bytes),
              Status::kInvalidArgument);
    EXPECT_STREQ(interpreter.error(), "arena must be a non-null, 16-byte aligned pointer");
  }
}

TEST(ModelPointer, MustBeNonNullAnd16ByteAligned) {
  BuiltModel b = OneConv();
  AlignedBuffer shifted(b.file.size() + 16);
  std::memcpy(shifted.data() + 4, b.file.data(), b.file.size());
  AlignedBuffer arena(b.arena_bytes);
  Interpreter interpreter;
  EXPECT_EQ(interpreter.Init(shifted.data() + 4, b.file.size(), arena.data(), arena.size()),
            Status::kInvalidArgument);
  EXPECT_STREQ(interpreter.error(), "model must be loaded at a 16-byte aligned address");
  EXPECT_EQ(interpreter.Init(nullptr, b.file.size(), arena.data(), arena.size()),
            Status::kInvalidArgument);
  EXPECT_STREQ(interpreter.error(), "model is a null pointer");
}

TEST(CallOrder, InvokeBeforeInitIsNotReady) {
  Interpreter interpreter;
  EXPECT_EQ(interpreter.Invoke(), Status::kNotReady);
  EXPECT_STREQ(interpreter.error(), "Invoke before a successful Init");
  EXPECT_EQ(interpreter.input(0).data, nullptr);
  EXPECT_EQ(interpreter.output(0).data, nullptr);
  EXPECT_EQ(interpreter.input_count(), 0);
  EXPECT_EQ(interpreter.op_count(), 0);
  EXPECT_STREQ(interpreter.input_name(0), "");
}

TEST(CallOrder, AFailedInitLeavesTheInterpreterNotReady) {
  BuiltModel b = OneConv();
  AlignedBuffer arena(b.arena_bytes);
  Interpreter interpreter;
  ASSERT_EQ(interpreter.Init(b.file.data(), b.file.size(), arena.data(), arena.size()),
            Status::kOk);
  ASSERT_EQ(interpreter.Invoke(), Status::kOk);
  EXPECT_EQ(interpreter.Init(b.file.data(), b.file.size(), arena.data(), arena.size() - 4),
            Status::kArenaTooSmall);
  EXPECT_EQ(interpreter.Invoke(), Status::kNotReady);
  EXPECT_EQ(interpreter.output(0).data, nullptr);
}

TEST(CallOrder, RangesComposeToAWholeInvoke) {
  BuiltModel b = TinyUNet();
  AlignedBuffer arena(b.arena_bytes);
  Interpreter interpreter;
  ASSERT_EQ(interpreter.Init(b.file.data(), b.file.size(), arena.data(), arena.size()),
            Status::kOk);
  ASSERT_EQ(interpreter.op_count(), 11);
  FeedInputs(interpreter, b.golden);
  ASSERT_EQ(interpreter.InvokeRange(0, 4), Status::kOk);
  ASSERT_EQ(interpreter.InvokeRange(4, 4), Status::kOk);
  ASSERT_EQ(interpreter.InvokeRange(4, 11), Status::kOk);
  golden::ExpectMatches(Output(interpreter), *b.golden.expected);
  for (auto [first, last] : {std::pair{-1, 3}, std::pair{0, 12}, std::pair{5, 4}}) {
    EXPECT_EQ(interpreter.InvokeRange(first, last), Status::kInvalidArgument);
    EXPECT_EQ(std::string(interpreter.error()), "op range [" + std::to_string(first) + ", " +
                                                    std::to_string(last) + ") outside [0, 11)");
  }
}

TEST(CallOrder, RepeatedInvokesAndASecondInterpreterAgree) {
  BuiltModel b = EcgCnn();
  const std::vector<uint8_t> pristine(b.file.data(), b.file.data() + b.file.size());
  AlignedBuffer arena1(b.arena_bytes), arena2(b.arena_bytes);
  Interpreter first, second;
  ASSERT_EQ(first.Init(b.file.data(), b.file.size(), arena1.data(), arena1.size()), Status::kOk);
  ASSERT_EQ(second.Init(b.file.data(), b.file.size(), arena2.data(), arena2.size()), Status::kOk);
  FeedInputs(first, b.golden);
  FeedInputs(second, b.golden);
  ASSERT_EQ(first.Invoke(), Status::kOk);
  const std::vector<float> once = Output(first);
  // The plan may reuse a graph input's bytes after its last reader, so inputs are fed again.
  FeedInputs(first, b.golden);
  ASSERT_EQ(first.Invoke(), Status::kOk);
  ASSERT_EQ(second.Invoke(), Status::kOk);
  EXPECT_EQ(Output(first), once);
  EXPECT_EQ(Output(second), once);
  golden::ExpectMatches(once, *b.golden.expected);
  // The model file is read-only to the runtime.
  EXPECT_EQ(std::memcmp(pristine.data(), b.file.data(), pristine.size()), 0);
}

TEST(Views, NameShapeAndPlaceEachTensor) {
  BuiltModel b = EcgCnn();
  AlignedBuffer arena(b.arena_bytes);
  Interpreter interpreter;
  ASSERT_EQ(interpreter.Init(b.file.data(), b.file.size(), arena.data(), arena.size()),
            Status::kOk);
  EXPECT_EQ(interpreter.input_count(), 1);
  EXPECT_EQ(interpreter.output_count(), 1);
  EXPECT_STREQ(interpreter.input_name(0), "t0");
  TensorView in = interpreter.input(0), out = interpreter.output(0);
  EXPECT_EQ(in.shape, (Shape{3, {1, 1, 64}}));
  EXPECT_EQ(out.shape, (Shape{2, {1, 3}}));
  EXPECT_EQ(in.dtype, DType::kFloat32);
  const auto& tensors = b.golden.model->model().tensors;
  for (int i = 0; i < interpreter.tensor_count(); ++i) {
    const auto& t = *tensors[static_cast<size_t>(i)];
    TensorView v = interpreter.tensor(i);
    if (t.buffer < 0)
      EXPECT_EQ(v.data, arena.data() + t.arena_offset) << i;
    else
      EXPECT_TRUE(v.data >= b.file.data() && v.data < b.file.data() + b.file.size()) << i;
  }
  EXPECT_EQ(interpreter.tensor(interpreter.tensor_count()).data, nullptr);
  EXPECT_EQ(interpreter.input(1).data, nullptr);
  EXPECT_EQ(interpreter.output(-1).data, nullptr);
}

TEST(Status, EveryValueHasAName) {
  EXPECT_STREQ(StatusName(Status::kOk), "ok");
  EXPECT_STREQ(StatusName(Status::kInvalidModel), "invalid model");
  EXPECT_STREQ(StatusName(Status::kUnsupportedModel), "unsupported model");
  EXPECT_STREQ(StatusName(Status::kArenaTooSmall), "arena too small");
  EXPECT_STREQ(StatusName(Status::kInvalidArgument), "invalid argument");
  EXPECT_STREQ(StatusName(Status::kNotReady), "not ready");
  EXPECT_STREQ(StatusName(Status::kInvalidTensorData), "invalid tensor data");
}

}  // namespace
}  // namespace vigil
