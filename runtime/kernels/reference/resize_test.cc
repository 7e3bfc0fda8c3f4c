// Resize: golden cases from ONNX's own reference implementation in float64 (testing/golden/kernels/
// resize_golden.h): nearest with each of the 4 coordinate transformations x 4 roundings, up and
// down; linear with each transformation, up and down, 1-d and 2-d, to length 1; the modes torch
// exports are also checked against torch by the generator. Then scales that push a source
// coordinate past int32 (the index must clamp, not overflow) and Prepare's rejections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/resize_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class ResizeGolden : public ::testing::TestWithParam<golden::ResizeCase> {};

TEST_P(ResizeGolden, MatchesOnnxReference) {
  golden::GoldenModel m = golden::ResizeModel(GetParam());
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(Onnx, ResizeGolden, ::testing::ValuesIn(golden::kResizeCases),
                         golden::CaseName());

golden::ResizeCase Case(schema::ResizeMode mode, schema::CoordinateTransform transform,
                        float scale) {
  golden::ResizeCase c = {};
  c.name = "tiny_scale";
  c.x = {{1, 1, 3}, {1.0f, 2.0f, 3.0f}};
  c.mode = mode;
  c.transform = transform;
  c.rounding = schema::NearestRounding::Floor;
  c.scales = {1.0f, 1.0f, scale};
  c.y = {{1, 1, 4}, {}};
  return c;
}

// A tiny scale maps output 1.. far past the input (1 / 1e-30); the index clamps to the last
// element, as ONNX's edge rule says, instead of converting an out-of-range float to int.
TEST(Resize, SourceCoordinatesFarOutsideTheInputClampToTheEdge) {
  for (auto transform :
       {schema::CoordinateTransform::Asymmetric, schema::CoordinateTransform::HalfPixel}) {
    for (auto mode : {schema::ResizeMode::Nearest, schema::ResizeMode::Linear}) {
      for (float scale : {1e-30f, std::numeric_limits<float>::denorm_min()}) {
        golden::GoldenModel m = golden::ResizeModel(Case(mode, transform, scale));
        m.expected = nullptr;
        std::vector<float> y = golden::RunGolden(m);
        ASSERT_EQ(y.size(), 4u);
        for (size_t i = 1; i < y.size(); ++i)
          EXPECT_EQ(y[i], 3.0f) << "element " << i << ", scale " << scale;
      }
    }
  }
}

std::string Rejection(const golden::ResizeCase& c) {
  golden::GoldenModel m = golden::ResizeModel(c);
  return golden::RejectionOf(*m.model);
}

TEST(ResizePrepare, RejectsScalesNotOnePerAxis) {
  golden::ResizeCase c = golden::kResizeCases[0];
  c.scales = {2.0f, 1.5f};
  EXPECT_THAT(Rejection(c), HasSubstr("(Resize): needs one scale per axis and known modes"));
}

TEST(ResizePrepare, RejectsUnknownModes) {
  golden::ResizeCase c = golden::kResizeCases[0];
  c.mode = static_cast<schema::ResizeMode>(2);
  EXPECT_THAT(Rejection(c), HasSubstr("(Resize): needs one scale per axis and known modes"));
  c = golden::kResizeCases[0];
  c.transform = static_cast<schema::CoordinateTransform>(4);
  EXPECT_THAT(Rejection(c), HasSubstr("(Resize): needs one scale per axis and known modes"));
  c = golden::kResizeCases[0];
  c.rounding = static_cast<schema::NearestRounding>(4);
  EXPECT_THAT(Rejection(c), HasSubstr("(Resize): needs one scale per axis and known modes"));
}

TEST(ResizePrepare, RejectsScalesThatAreNotPositiveFiniteNumbers) {
  for (float bad : {0.0f, -2.0f, std::nanf(""), std::numeric_limits<float>::infinity()}) {
    golden::ResizeCase c = golden::kResizeCases[0];
    c.scales[3] = bad;
    EXPECT_THAT(Rejection(c),
                HasSubstr("(Resize): axis 3: scale must be positive and the input non-empty"))
        << bad;
  }
}

TEST(ResizePrepare, RejectsARankChange) {
  golden::ResizeCase c = golden::kResizeCases[0];
  c.y.shape = {1, 6, 6};
  EXPECT_THAT(Rejection(c), HasSubstr("(Resize): needs one scale per axis and known modes"));
}

TEST(ResizePrepare, RejectsInt32) {
  testing::OpTestModel m;
  int x = m.Input({1, 1, 2}, schema::DType::Int32), y = m.Output({1, 1, 4}, schema::DType::Int32);
  schema::ResizeParamsT p;
  p.scales = {1.0f, 1.0f, 2.0f};
  schema::OpParamsUnion params;
  params.Set(std::move(p));
  m.AddOp(OpCode::kResize, {x}, {y}, std::move(params));
  EXPECT_THAT(golden::RejectionOf(m), HasSubstr("(Resize): only float32 tensors are supported"));
}

}  // namespace
}  // namespace vigil
