// GlobalAveragePool: golden means from torch in float64 over 1, 2 and 3 spatial axes
// (testing/golden/kernels/global_average_pool_golden.h), and Prepare's rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/global_average_pool_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class GlobalAveragePoolGolden : public ::testing::TestWithParam<golden::UnaryCase> {};

TEST_P(GlobalAveragePoolGolden, MatchesTorch) {
  golden::GoldenModel m = golden::UnaryModel(GetParam(), OpCode::kGlobalAveragePool);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(Torch, GlobalAveragePoolGolden,
                         ::testing::ValuesIn(golden::kGlobalAveragePoolCases), golden::CaseName());

std::string Rejection(std::vector<int32_t> x_shape, std::vector<int32_t> y_shape,
                      schema::DType dtype = schema::DType::Float32) {
  testing::OpTestModel m;
  int x = m.Input(std::move(x_shape), dtype);
  int y = m.Output(std::move(y_shape), dtype);
  if (dtype == schema::DType::Int8) {
    m.Quantize(x, {1.0f}, {0});
    m.Quantize(y, {1.0f}, {0});
  }
  m.AddOp(OpCode::kGlobalAveragePool, {x}, {y});
  return golden::RejectionOf(m);
}

TEST(GlobalAveragePoolPrepare, RejectsOutputsThatAreNotNC11) {
  const char* message =
      "(GlobalAveragePool): output must be [N, C, 1, ...] of an [N, C, ...] input";
  EXPECT_THAT(Rejection({1, 3, 4, 4}, {1, 3, 2, 1}), HasSubstr(message));
  EXPECT_THAT(Rejection({1, 3, 4, 4}, {1, 2, 1, 1}), HasSubstr(message));
  EXPECT_THAT(Rejection({1, 3, 4, 4}, {1, 3, 1}), HasSubstr(message));
  EXPECT_THAT(Rejection({2, 3}, {2, 3}), HasSubstr(message));
}

TEST(GlobalAveragePoolPrepare, RejectsInt32) {
  EXPECT_THAT(Rejection({1, 3, 4}, {1, 3, 1}, schema::DType::Int32),
              HasSubstr("(GlobalAveragePool): only float32 tensors are supported"));
}

}  // namespace
}  // namespace vigil
