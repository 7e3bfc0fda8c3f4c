// Softmax: golden cases in float64 NumPy (testing/golden/kernels/softmax_golden.h: first, middle
// and last axis, values near 1000 that overflow a naive exp, a one-element axis) and Prepare's
// rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>

#include "compiler/emit/model_file_writer.h"
#include "compiler/plan/memory_planner.h"
#include "host/aligned_buffer.h"
#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/softmax_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class SoftmaxGolden : public ::testing::TestWithParam<golden::SoftmaxCase> {};

TEST_P(SoftmaxGolden, MatchesNumPy) {
  golden::GoldenModel m = golden::SoftmaxModel(GetParam());
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(NumPy, SoftmaxGolden, ::testing::ValuesIn(golden::kSoftmaxCases),
                         golden::CaseName());

std::string Rejection(golden::SoftmaxCase c) {
  golden::GoldenModel m = golden::SoftmaxModel(c);
  return golden::RejectionOf(*m.model);
}

TEST(SoftmaxPrepare, RejectsAnAxisOutOfRange) {
  // The compiler resolves negative axes; the runtime takes 0 <= axis < rank only.
  golden::SoftmaxCase c = golden::kSoftmaxCases[0];  // [2, 5]
  c.axis = 2;
  EXPECT_THAT(Rejection(c), HasSubstr("(Softmax): axis 2 out of range, or output shape differs"));
  c.axis = -1;
  EXPECT_THAT(Rejection(c), HasSubstr("(Softmax): axis -1 out of range, or output shape differs"));
}

TEST(SoftmaxPrepare, RejectsADifferentOutputShape) {
  golden::SoftmaxCase c = golden::kSoftmaxCases[0];
  c.y.shape = {5, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(Softmax): axis 1 out of range, or output shape differs"));
}

// The first element of an axis seeds its maximum; an empty axis has none (found by
// vigil_model_fuzzer: [2, 0, 229] read one float past the arena).
TEST(Softmax, AnEmptyAxisReadsNothing) {
  golden::SoftmaxCase c{"empty_axis", {{2, 0, 229}, {}}, 1, {{2, 0, 229}, {}}};
  golden::GoldenModel m = golden::SoftmaxModel(c);
  EXPECT_TRUE(golden::RunGolden(m).empty());
}

// int8 Softmax with its exp table fed as a graph input rather than a constant: Prepare can check
// only what the arena holds at Init, so a table the caller zeroes afterwards must be caught by
// Eval (a zero row sum would divide by zero) and reported, not crash.
TEST(SoftmaxInt8, ATableZeroedAfterInitIsRejectedByInvoke) {
  testing::OpTestModel m;
  int x = m.Input({1, 4}, schema::DType::Int8);
  int table = m.Input({256}, schema::DType::Int32);
  int y = m.Output({1, 4}, schema::DType::Int8);
  m.Quantize(x, {0.1f}, {0});
  m.Quantize(y, {1.0f / 256.0f}, {-128});
  m.AddOp(OpCode::kSoftmax, {x, table}, {y}, testing::AxisParams(1));
  // Planned and written by hand: the writer's own Init would read an arena it never filled.
  schema::ModelT& model = m.model();
  model.format_version = kModelFormatVersion;
  PlanMemory(model);
  model.arena_bytes = model.activation_bytes;
  AlignedBuffer file(SerializeModel(model));
  AlignedBuffer arena(static_cast<size_t>(model.arena_bytes));
  std::memset(arena.data(), 0, arena.size());
  int32_t* t = reinterpret_cast<int32_t*>(arena.data() +
                                          model.tensors[static_cast<size_t>(table)]->arena_offset);
  for (int k = 0; k < 256; ++k)
    t[k] = static_cast<int32_t>(std::lround(std::exp(0.1 * (k - 255)) * 65536.0));
  auto interpreter = std::make_unique<Interpreter>();
  ASSERT_EQ(interpreter->Init(file.data(), file.size(), arena.data(), arena.size()), Status::kOk)
      << interpreter->error();
  ASSERT_EQ(interpreter->Invoke(), Status::kOk) << interpreter->error();
  std::memset(t, 0, 256 * sizeof(int32_t));
  EXPECT_EQ(interpreter->Invoke(), Status::kInvalidTensorData);
  EXPECT_THAT(interpreter->error(),
              HasSubstr("(Softmax): exp table entry 0 out of [0, 65536] (entry 255 must be > 0)"));
}

}  // namespace
}  // namespace vigil
