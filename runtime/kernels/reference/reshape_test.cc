// Reshape (also Flatten, Squeeze, Unsqueeze): the same bytes under a new shape, copied when the
// plan keeps input and output apart, untouched when it runs in place; and Prepare's rejections. The
// expected values are the input itself, so no generated golden is needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>

#include "testing/golden/golden_expect.h"
#include "testing/op_test_model.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;

std::vector<float> Iota(size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), -3.0f);
  return v;
}

TEST(Reshape, CopiesAGraphInputUnderTheNewShape) {
  testing::OpTestModel m;
  int x = m.Input({2, 3, 4});
  int y = m.Output({4, 6});
  m.AddOp(OpCode::kReshape, {x}, {y});
  EXPECT_EQ(m.Run({Iota(24)})[0], Iota(24));
  EXPECT_NE(m.model().tensors[static_cast<size_t>(x)]->arena_offset,
            m.model().tensors[static_cast<size_t>(y)]->arena_offset);
}

TEST(Reshape, RunsInPlaceOverADyingIntermediate) {
  // x -> Relu -> t -> Reshape -> y: the planner puts y over t, and Reshape has nothing to move.
  testing::OpTestModel m;
  int x = m.Input({2, 6});
  int t = m.Intermediate({2, 6});
  int y = m.Output({3, 1, 4});
  m.AddOp(OpCode::kRelu, {x}, {t});
  m.AddOp(OpCode::kReshape, {t}, {y});
  std::vector<float> expected = Iota(12);
  for (float& v : expected)
    v = v > 0 ? v : 0;
  EXPECT_EQ(m.Run({Iota(12)})[0], expected);
  EXPECT_EQ(m.model().tensors[static_cast<size_t>(t)]->arena_offset,
            m.model().tensors[static_cast<size_t>(y)]->arena_offset);
}

TEST(Reshape, MovesInt8BytesUnchanged) {
  testing::OpTestModel m;
  int x = m.Input({2, 2}, schema::DType::Int8), y = m.Output({4}, schema::DType::Int8);
  m.Quantize(x, {0.5f}, {3});
  m.Quantize(y, {0.5f}, {3});
  m.AddOp(OpCode::kReshape, {x}, {y});
  std::vector<uint8_t> bytes = {0x80, 0x7f, 0x00, 0xff};
  EXPECT_EQ(m.RunBytes({bytes})[0], bytes);
}

TEST(ReshapePrepare, RejectsADifferentElementCountOrDtype) {
  testing::OpTestModel count;
  int x = count.Input({2, 3});
  count.AddOp(OpCode::kReshape, {x}, {count.Output({5})});
  EXPECT_THAT(testing::golden::RejectionOf(count),
              HasSubstr("(Reshape): input and output differ in element count or dtype"));

  testing::OpTestModel dtype;
  x = dtype.Input({2, 3});
  dtype.AddOp(OpCode::kReshape, {x}, {dtype.Output({6}, schema::DType::Int32)});
  EXPECT_THAT(testing::golden::RejectionOf(dtype),
              HasSubstr("(Reshape): input and output differ in element count or dtype"));
}

TEST(ReshapePrepare, RejectsInt8WithOtherQuantization) {
  testing::OpTestModel m;
  int x = m.Input({4}, schema::DType::Int8), y = m.Output({2, 2}, schema::DType::Int8);
  m.Quantize(x, {0.5f}, {3});
  m.Quantize(y, {0.5f}, {4});
  m.AddOp(OpCode::kReshape, {x}, {y});
  EXPECT_THAT(testing::golden::RejectionOf(m),
              HasSubstr("(Reshape): input and output quantization differ"));
}

}  // namespace
}  // namespace vigil
