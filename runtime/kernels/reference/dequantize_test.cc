// Dequantize (int8 -> float32): golden cases from NumPy's float32 product as docs/int8_spec.md
// section 4 defines it (testing/golden/kernels/dequantize_golden.h: both int8 extremes, inexact
// scales), and Prepare's rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/dequantize_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class DequantizeGolden : public ::testing::TestWithParam<golden::QuantizeCase> {};

TEST_P(DequantizeGolden, MatchesTheSpecExactly) {
  golden::GoldenModel m = golden::DequantizeModel(GetParam());
  golden::ExpectMatches(golden::RunGolden(m), *m.expected, 0.0f, 0.0f);
}

INSTANTIATE_TEST_SUITE_P(NumPy, DequantizeGolden, ::testing::ValuesIn(golden::kDequantizeCases),
                         golden::CaseName());

TEST(DequantizePrepare, RejectsAnythingButPerTensorInt8ToFloat32OfTheSameShape) {
  const char* message =
      "(Dequantize): Dequantize maps a per-tensor int8 tensor onto float32 of the same shape";
  golden::QuantizeCase c = golden::kDequantizeCases[0];  // [2, 3, 4]
  c.y.shape = {24};
  golden::GoldenModel flat = golden::DequantizeModel(c);
  EXPECT_THAT(golden::RejectionOf(*flat.model), HasSubstr(message));

  golden::GoldenModel per_channel = golden::DequantizeModel(golden::kDequantizeCases[0]);
  per_channel.model->Quantize(per_channel.op_input, {0.25f, 0.5f}, {3, 3}, 0);
  EXPECT_THAT(golden::RejectionOf(*per_channel.model), HasSubstr(message));

  testing::OpTestModel int32_out;
  int x = int32_out.Input({4}, schema::DType::Int8),
      y = int32_out.Output({4}, schema::DType::Int32);
  int32_out.Quantize(x, {1.0f}, {0});
  int32_out.AddOp(OpCode::kDequantize, {x}, {y});
  EXPECT_THAT(golden::RejectionOf(int32_out), HasSubstr(message));
}

}  // namespace
}  // namespace vigil
