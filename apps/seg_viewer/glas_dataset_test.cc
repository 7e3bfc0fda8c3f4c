// GlaS naming and mask decoding on files written by the test itself.
#include "apps/seg_viewer/glas_dataset.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "apps/seg_viewer/segmentation_metrics.h"
#include "host/error.h"

namespace vigil::seg {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> Png(const cv::Mat& image) {
  std::vector<uint8_t> bytes;
  cv::imencode(".png", image, bytes);
  return bytes;
}

TEST(GlasDatasetTest, ListsASplitInNumericOrderWithMasks) {
  const fs::path dir = fs::temp_directory_path() / "vigil_glas_list_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  cv::Mat image(4, 4, CV_8UC3, cv::Scalar(1, 2, 3)), mask = cv::Mat::zeros(4, 4, CV_8U);
  for (int n : {10, 2, 1}) {
    cv::imwrite((dir / ("testA_" + std::to_string(n) + ".png")).string(), image);
    cv::imwrite((dir / ("testA_" + std::to_string(n) + "_anno.png")).string(), mask);
  }
  cv::imwrite((dir / "train_1.png").string(), image);
  std::vector<GlasSample> samples = ListGlasSplit(dir.string(), "testA");
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].name, "testA_1");
  EXPECT_EQ(samples[1].name, "testA_2");
  EXPECT_EQ(samples[2].name, "testA_10");
  EXPECT_THROW(ListGlasSplit(dir.string(), "train"), HostError);  // train_1 has no mask
  EXPECT_THROW(ListGlasSplit(dir.string(), "testB"), HostError);  // none
  fs::remove_all(dir);
}

TEST(GlasDatasetTest, DecodesEightAndSixteenBitLabelsAndRejectsOthers) {
  cv::Mat labels16 = cv::Mat::zeros(6, 8, CV_16U);
  labels16(cv::Rect(0, 0, 4, 6)) = 60000;  // far beyond GlaS's 32: the scorer must stay sparse
  labels16(cv::Rect(4, 0, 4, 6)) = 1;
  cv::Mat labels = DecodeInstanceMask(Png(labels16), {8, 6}, "m16");
  EXPECT_EQ(labels.type(), CV_32S);
  EXPECT_EQ(labels.at<int32_t>(0, 0), 60000);
  SegmentationScores s = ScoreSegmentation(labels > 0, labels);
  EXPECT_EQ(s.objects_detected, 1);  // one merged blob covers gland 1 entirely
  EXPECT_EQ(s.objects_missed, 1);
  EXPECT_THROW(DecodeInstanceMask(Png(labels16), {8, 7}, "m16"), HostError);
  EXPECT_THROW(DecodeInstanceMask(Png(cv::Mat(6, 8, CV_8UC3)), {8, 6}, "rgb"), HostError);
  EXPECT_THROW(DecodeInstanceMask({1, 2, 3}, {8, 6}, "junk"), HostError);
}

}  // namespace
}  // namespace vigil::seg
