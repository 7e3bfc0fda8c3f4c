// The segmenter's plumbing on a hand-built pointwise model (known answers), and the shipped model
// against the PyTorch output of the training code (models/seg/train.py golden).
#include "apps/seg_viewer/gland_segmenter.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "host/atomic_file.h"
#include "host/npy.h"
#include "testing/op_test_model.h"

namespace vigil::seg {
namespace {

// gland probability = sigmoid(8 R - 8 B) per pixel, at a 24x16 input.
std::string WritePointwiseModel() {
  testing::OpTestModel m;
  int x = m.Input({1, 3, 16, 24});
  int w = m.Constant({1, 3, 1, 1}, {8.0f, 0.0f, -8.0f});
  int b = m.Constant({1}, {0.0f});
  int logits = m.Intermediate({1, 1, 16, 24});
  int y = m.Output({1, 1, 16, 24});
  m.AddOp(OpCode::kConv, {x, w, b}, {logits}, testing::ConvParams({1, 1}, {0, 0, 0, 0}, {1, 1}));
  m.AddOp(OpCode::kSigmoid, {logits}, {y});
  const std::string path =
      (std::filesystem::temp_directory_path() / "vigil_seg_pointwise.vgl").string();
  WriteFileAtomic(path, m.Build());
  return path;
}

TEST(GlandSegmenterTest, SegmentsRedFromBlueWithAPointwiseModel) {
  GlandSegmenter segmenter(WritePointwiseModel());
  EXPECT_EQ(segmenter.input_size(), cv::Size(24, 16));
  cv::Mat frame(31, 48, CV_8UC3, cv::Scalar(255, 0, 0));       // blue
  frame(cv::Rect(0, 0, 24, 31)).setTo(cv::Scalar(0, 0, 255));  // left half red
  ASSERT_FALSE(segmenter.UsesTiles(frame.size()));
  cv::Mat mask = segmenter.Segment(frame);
  ASSERT_EQ(mask.size(), frame.size());
  EXPECT_EQ(cv::countNonZero(mask(cv::Rect(0, 0, 21, 31))), 21 * 31);
  EXPECT_EQ(cv::countNonZero(mask(cv::Rect(27, 0, 21, 31))), 0);
}

TEST(GlandSegmenterTest, LargeFramesAreTiledAtTheTrainingScale) {
  GlandSegmenter segmenter(WritePointwiseModel());
  cv::Mat frame(1200, 2000, CV_8UC3, cv::Scalar(0, 0, 255));
  ASSERT_TRUE(segmenter.UsesTiles(frame.size()));
  EXPECT_EQ(segmenter.ModelViewSize(frame.size()), cv::Size(62, 37));  // 2000 * 24 / 775
  cv::Mat probability = segmenter.Probability(frame);
  ASSERT_EQ(probability.size(), frame.size());
  double lo = 0, hi = 0;
  cv::minMaxLoc(probability, &lo, &hi);
  const double expected = 1.0 / (1.0 + std::exp(-8.0));
  EXPECT_NEAR(lo, expected, 1e-5);
  EXPECT_NEAR(hi, expected, 1e-5);
}

TEST(GlandSegmenterTest, RejectsAModelThatIsNotASegmenter) {
  testing::OpTestModel m;
  int x = m.Input({1, 4});
  int y = m.Output({1, 4});
  m.AddOp(OpCode::kRelu, {x}, {y});
  const std::string path =
      (std::filesystem::temp_directory_path() / "vigil_seg_not_a_segmenter.vgl").string();
  WriteFileAtomic(path, m.Build());
  EXPECT_ANY_THROW(GlandSegmenter segmenter(path));
}

// The golden map is PyTorch's output for testA_1 after train.py's own (Python OpenCV)
// preprocessing; resized to the frame like the C++ postprocessing, it must match the runtime's
// result.
TEST(GlandSegmenterTest, ShippedModelMatchesPyTorchOnGlas) {
  const char* data = std::getenv("VIGIL_DATA_DIR");
  const std::string image = std::string(data && *data ? data : VIGIL_CONFIGURED_DATA_DIR) +
                            "/glas/Warwick_QU_Dataset/testA_1.png";
  if (!std::filesystem::exists(image)) GTEST_SKIP() << "GlaS data set not found (" << image << ")";
  const std::string source = VIGIL_SOURCE_DIR;
  GlandSegmenter segmenter(source + "/models/seg/seg_fp32.vgl");
  NpyArray golden = ReadNpy(source + "/apps/seg_viewer/testdata/testA_1_probability.npy");
  std::vector<float> values = golden.ToFloat();
  cv::Mat small(segmenter.input_size(), CV_32F, values.data()), expected;
  cv::Mat frame = cv::imread(image, cv::IMREAD_COLOR);
  cv::resize(small, expected, frame.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat probability = segmenter.Probability(frame);
  EXPECT_LT(cv::norm(probability, expected, cv::NORM_INF), 2e-3);
  EXPECT_LT(cv::norm(probability, expected, cv::NORM_L1) / double(frame.total()), 1e-4);
}

}  // namespace
}  // namespace vigil::seg
