// AveragePool: golden cases from torch, or a float64 NumPy loop where torch lacks the case
// (testing/golden/kernels/average_pool_golden.h: 1-d and 2-d, count_include_pad both ways, ceil
// mode whose overhang past the end pad is never counted, asymmetric pads, dilation). The
// window-shape rejections it shares with MaxPool are in max_pool_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/average_pool_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class AveragePoolGolden : public ::testing::TestWithParam<golden::PoolCase> {};

TEST_P(AveragePoolGolden, MatchesReference) {
  golden::GoldenModel m = golden::PoolModel(GetParam(), OpCode::kAveragePool);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(TorchOrNumPy, AveragePoolGolden,
                         ::testing::ValuesIn(golden::kAveragePoolCases), golden::CaseName());

// count_include_pad changes only the divisor: with it, each corner of a 3x3 window over a 1-padded
// 2x2 input of ones averages 4 ones over 9 cells, without it over 4.
TEST(AveragePool, CountIncludePadChangesTheDivisorOnly) {
  for (bool include : {false, true}) {
    testing::OpTestModel m;
    int x = m.Input({1, 1, 2, 2});
    int y = m.Output({1, 1, 2, 2});
    m.AddOp(OpCode::kAveragePool, {x}, {y},
            testing::PoolParams({3, 3}, {1, 1}, {1, 1, 1, 1}, include));
    std::vector<float> out = m.Run({{1, 1, 1, 1}})[0];
    for (float v : out)
      EXPECT_FLOAT_EQ(v, include ? 4.0f / 9.0f : 1.0f);
  }
}

TEST(AveragePoolPrepare, RejectsAnOutputSizeThatDoesNotFollow) {
  golden::PoolCase c = golden::kAveragePoolCases[0];  // 4x4, kernel 2, stride 2 -> 2x2
  c.y.shape = {1, 2, 3, 2};
  c.y.values.resize(12);
  golden::GoldenModel m = golden::PoolModel(c, OpCode::kAveragePool);
  EXPECT_THAT(golden::RejectionOf(*m.model),
              HasSubstr("(AveragePool): output size does not follow from the window parameters"));
}

TEST(AveragePoolPrepare, RejectsInt32) {
  testing::OpTestModel m;
  int x = m.Input({1, 1, 4}, schema::DType::Int32);
  int y = m.Output({1, 1, 2}, schema::DType::Int32);
  m.AddOp(OpCode::kAveragePool, {x}, {y}, testing::PoolParams({2}, {2}, {0, 0}));
  EXPECT_THAT(golden::RejectionOf(m),
              HasSubstr("(AveragePool): only float32 tensors are supported"));
}

// int8 with count_include_pad: one 4113 x 4113 window over a padded 1 x 1 input holds 16.9 M taps
// of 127 (the zero point stands in for each padded one), 2.148e9 in all, past int32. The average
// is 127; a wrapped int32 sum would give a negative one.
TEST(AveragePoolInt8, AWindowSumPastInt32DoesNotWrap) {
  testing::OpTestModel m;
  int x = m.Input({1, 1, 1, 1}, schema::DType::Int8);
  int y = m.Output({1, 1, 1, 1}, schema::DType::Int8);
  m.Quantize(x, {1.0f}, {127});
  m.Quantize(y, {1.0f}, {127});
  m.AddOp(OpCode::kAveragePool, {x}, {y},
          testing::PoolParams({4113, 4113}, {1, 1}, {2056, 2056, 2056, 2056}, true));
  EXPECT_EQ(static_cast<int8_t>(m.RunBytes({{127}})[0][0]), 127);
}

}  // namespace
}  // namespace vigil
