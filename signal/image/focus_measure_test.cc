// Focus measures against hand-computed answers and their behaviour under blur.
#include "signal/image/focus_measure.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace vigil::image {
namespace {

// One bright pixel of value v in the interior of an N-pixel black image: the Laplacian is -4v at
// the pixel and v at its 4 neighbours, mean 0, so the variance is (16 + 4) v^2 / N.
TEST(FocusMeasureTest, LaplacianVarianceOfOnePointIsHandComputed) {
  cv::Mat grey = cv::Mat::zeros(20, 30, CV_8U);
  grey.at<uint8_t>(10, 15) = 100;
  EXPECT_NEAR(LaplacianVariance(grey), 20.0 * 100 * 100 / 600, 1e-9);
}

// Sobel x of one point: weights 1, 2, 1 on each side, so sum(gx^2) = 2 (1 + 4 + 1) v^2 = 12 v^2;
// the same for gy, so the mean is 24 v^2 / N.
TEST(FocusMeasureTest, TenengradOfOnePointIsHandComputed) {
  cv::Mat grey = cv::Mat::zeros(20, 30, CV_8U);
  grey.at<uint8_t>(10, 15) = 100;
  EXPECT_NEAR(Tenengrad(grey), 24.0 * 100 * 100 / 600, 1e-9);
}

TEST(FocusMeasureTest, FlatImageMeasuresZero) {
  cv::Mat grey(32, 32, CV_8U, cv::Scalar(77));
  EXPECT_EQ(LaplacianVariance(grey), 0.0);
  EXPECT_EQ(Tenengrad(grey), 0.0);
}

TEST(FocusMeasureTest, BothMeasuresFallAsBlurGrows) {
  cv::Mat grey(128, 128, CV_8U);
  cv::randu(grey, 0, 256);
  double last_laplacian = LaplacianVariance(grey), last_tenengrad = Tenengrad(grey);
  for (double sigma : {0.5, 1.0, 2.0, 4.0}) {
    cv::Mat blurred;
    cv::GaussianBlur(grey, blurred, {0, 0}, sigma);
    EXPECT_LT(LaplacianVariance(blurred), last_laplacian) << "sigma " << sigma;
    EXPECT_LT(Tenengrad(blurred), last_tenengrad) << "sigma " << sigma;
    last_laplacian = LaplacianVariance(blurred);
    last_tenengrad = Tenengrad(blurred);
  }
}

TEST(FocusMeasureTest, AnalysisImageIsGreyAtTheRequestedSize) {
  cv::Mat bgr(200, 300, CV_8UC3, cv::Scalar(10, 20, 30));
  cv::Mat grey = FocusAnalysisImage(bgr, {150, 100});
  EXPECT_EQ(grey.type(), CV_8U);
  EXPECT_EQ(grey.size(), cv::Size(150, 100));
  // OpenCV's BGR->grey weights: 0.114 B + 0.587 G + 0.299 R.
  EXPECT_EQ(grey.at<uint8_t>(50, 75), cvRound(0.114 * 10 + 0.587 * 20 + 0.299 * 30));
}

}  // namespace
}  // namespace vigil::image
