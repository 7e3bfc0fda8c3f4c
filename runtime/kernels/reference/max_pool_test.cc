// MaxPool: golden cases from torch, or a float64 NumPy loop where torch lacks the case
// (testing/golden/kernels/max_pool_golden.h: 1-d and 2-d, strides, pads incl. asymmetric, dilation,
// ceil mode incl. the dropped last window), and the window-shape rejections shared with
// AveragePool.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/max_pool_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class MaxPoolGolden : public ::testing::TestWithParam<golden::PoolCase> {};

TEST_P(MaxPoolGolden, MatchesReference) {
  golden::GoldenModel m = golden::PoolModel(GetParam(), OpCode::kMaxPool);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(TorchOrNumPy, MaxPoolGolden, ::testing::ValuesIn(golden::kMaxPoolCases),
                         golden::CaseName());

std::string Rejection(const golden::PoolCase& c) {
  golden::GoldenModel m = golden::PoolModel(c, OpCode::kMaxPool);
  return golden::RejectionOf(*m.model);
}

const golden::PoolCase& Find(const std::string& name) {
  for (const auto& c : golden::kMaxPoolCases) {
    if (name == c.name) return c;
  }
  throw std::runtime_error("no golden case " + name);
}

TEST(MaxPoolPrepare, RejectsAMissingOrWrongLengthKernel) {
  golden::PoolCase c = golden::kMaxPoolCases[0];
  c.kernel = {};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
  c.kernel = {2, 2, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
  c.kernel = {2, 2};
  c.strides = {2};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
}

TEST(MaxPoolPrepare, RejectsAZeroKernel) {
  golden::PoolCase c = golden::kMaxPoolCases[0];
  c.kernel = {0, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): kernel sizes must be positive"));
}

TEST(MaxPoolPrepare, AcceptsFloorAndCeilSizesOnly) {
  golden::PoolCase c = Find("max2d_ceil_mode");  // 5x5, kernel 2, stride 2: floor 2, ceil 3
  c.y.shape = {1, 1, 2, 2};
  c.y.values.resize(4);
  EXPECT_EQ(Rejection(c), "");
  c.y.shape = {1, 1, 4, 3};
  c.y.values.resize(12);
  EXPECT_THAT(Rejection(c),
              HasSubstr("(MaxPool): output size does not follow from the window parameters"));
}

TEST(MaxPoolPrepare, RejectsACeilWindowThatWouldStartInTheEndPad) {
  // 5 + pads 1 + 1, kernel 2, stride 2: ceil gives 4 windows, but the 4th starts at 6 >= 5 + 1.
  golden::PoolCase c = Find("max2d_ceil_mode_last_window_dropped");
  ASSERT_EQ(c.y.shape, (std::vector<int32_t>{1, 1, 3, 3}));
  c.y.shape = {1, 1, 4, 4};
  c.y.values.resize(16);
  EXPECT_THAT(Rejection(c),
              HasSubstr("(MaxPool): output size does not follow from the window parameters"));
}

TEST(MaxPoolPrepare, RejectsChangedBatchOrChannelsAndOtherRanks) {
  golden::PoolCase c = golden::kMaxPoolCases[0];  // 1x2x4x4 -> 1x2x2x2
  c.y.shape = {1, 1, 2, 4};
  EXPECT_THAT(
      Rejection(c),
      HasSubstr("(MaxPool): input and output must be NC(H)W of rank 3 or 4 with equal N and C"));
  c = golden::kMaxPoolCases[0];
  c.x.shape = {1, 2, 4, 4, 1};
  c.y.shape = {1, 2, 2, 2, 1};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): input and output must be NC(H)W of rank 3 or 4"));
}

TEST(MaxPoolPrepare, RejectsNegativePadsAndZeroDilation) {
  golden::PoolCase c = golden::kMaxPoolCases[1];
  c.pads = {1, 1, 1, -1};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
  c = golden::kMaxPoolCases[1];
  c.dilations = {1, 0};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
}

TEST(MaxPoolPrepare, RejectsMixedAndInt32Dtypes) {
  testing::OpTestModel mixed;
  int x = mixed.Input({1, 1, 4});
  int y = mixed.Output({1, 1, 2}, schema::DType::Int32);
  mixed.AddOp(OpCode::kMaxPool, {x}, {y}, testing::PoolParams({2}, {2}, {0, 0}));
  EXPECT_THAT(golden::RejectionOf(mixed), HasSubstr("(MaxPool): input and output dtypes differ"));

  testing::OpTestModel int32;
  x = int32.Input({1, 1, 4}, schema::DType::Int32);
  y = int32.Output({1, 1, 2}, schema::DType::Int32);
  int32.AddOp(OpCode::kMaxPool, {x}, {y}, testing::PoolParams({2}, {2}, {0, 0}));
  EXPECT_THAT(golden::RejectionOf(int32),
              HasSubstr("(MaxPool): only float32 tensors are supported"));
}

}  // namespace
}  // namespace vigil
