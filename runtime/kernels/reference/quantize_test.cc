// Quantize (float32 -> int8): golden cases from NumPy's float32 arithmetic as docs/int8_spec.md
// section 4 defines it (testing/golden/kernels/quantize_golden.h: halves rounding away from zero,
// saturation at both ends, negative and inexact scales), the non-finite inputs by hand, and
// Prepare's rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/quantize_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class QuantizeGolden : public ::testing::TestWithParam<golden::QuantizeCase> {};

TEST_P(QuantizeGolden, MatchesTheSpecExactly) {
  golden::GoldenModel m = golden::QuantizeModel(GetParam());
  golden::ExpectMatches(golden::RunGolden(m), *m.expected, 0.0f, 0.0f);
}

INSTANTIATE_TEST_SUITE_P(NumPy, QuantizeGolden, ::testing::ValuesIn(golden::kQuantizeCases),
                         golden::CaseName());

// NaN maps to the zero point; infinities saturate (by hand: the goldens hold finite values only).
TEST(Quantize, NaNGoesToTheZeroPointAndInfinitiesSaturate) {
  const float inf = std::numeric_limits<float>::infinity();
  golden::QuantizeCase c = {
      "non_finite", {{3}, {std::nanf(""), inf, -inf}}, 0.5f, 7, {{3}, {7, 127, -128}}};
  golden::GoldenModel m = golden::QuantizeModel(c);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected, 0.0f, 0.0f);
}

TEST(QuantizePrepare, RejectsAnythingButFloat32ToPerTensorInt8OfTheSameShape) {
  const char* message =
      "(Quantize): Quantize maps float32 onto a per-tensor int8 tensor of the same shape";
  golden::QuantizeCase c = golden::kQuantizeCases[0];  // [2, 3, 4]
  c.y.shape = {2, 12};
  golden::GoldenModel reshaped = golden::QuantizeModel(c);
  EXPECT_THAT(golden::RejectionOf(*reshaped.model), HasSubstr(message));

  golden::GoldenModel per_channel = golden::QuantizeModel(golden::kQuantizeCases[0]);
  per_channel.model->Quantize(per_channel.op_output, {0.25f, 0.5f}, {3, 3}, 0);
  EXPECT_THAT(golden::RejectionOf(*per_channel.model), HasSubstr(message));

  testing::OpTestModel int32_in;
  int x = int32_in.Input({4}, schema::DType::Int32), y = int32_in.Output({4}, schema::DType::Int8);
  int32_in.Quantize(y, {1.0f}, {0});
  int32_in.AddOp(OpCode::kQuantize, {x}, {y});
  EXPECT_THAT(golden::RejectionOf(int32_in), HasSubstr(message));
}

}  // namespace
}  // namespace vigil
