// Degradations against known answers: impulse responses, measured noise, exposure arithmetic, and
// stain concentrations read back through colour deconvolution.
#include "signal/image/degradation.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace vigil::image {
namespace {

cv::Mat Impulse(int size, uint8_t value) {
  cv::Mat bgr = cv::Mat::zeros(size, size, CV_8UC3);
  bgr.at<cv::Vec3b>(size / 2, size / 2) = {value, value, value};
  return bgr;
}

cv::Mat Tissue() {  // smooth pink-purple texture, H&E-like colours
  cv::Mat bgr(96, 128, CV_8UC3);
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      double t = 0.5 + 0.5 * std::sin(x * 0.3) * std::cos(y * 0.2);
      bgr.at<cv::Vec3b>(y, x) = {uint8_t(200 - 40 * t), uint8_t(150 - 90 * t),
                                 uint8_t(220 - 60 * t)};
    }
  }
  return bgr;
}

TEST(DegradationTest, NoneIsTheIdentity) {
  cv::Mat bgr = Tissue();
  EXPECT_EQ(cv::norm(Degrade(bgr, {DegradationKind::kNone, 0}, 1), bgr, cv::NORM_INF), 0.0);
}

// A Gaussian of sigma 2 keeps 1 / (2 pi sigma^2) = 0.0398 of an impulse at its centre.
TEST(DegradationTest, GaussianBlurSpreadsAnImpulseAsAGaussian) {
  cv::Mat out = Degrade(Impulse(41, 250), {DegradationKind::kGaussianBlur, 2.0}, 1);
  EXPECT_NEAR(out.at<cv::Vec3b>(20, 20)[1], 250 / (2 * M_PI * 4), 1.0);
  EXPECT_NEAR(cv::sum(out)[1], 250.0, 25.0);  // energy kept, up to 8-bit rounding
}

// A uniform disk of radius 4 turns an impulse into a flat disk: inside at distance 3, gone at 5.
TEST(DegradationTest, DefocusBlurTurnsAnImpulseIntoADisk) {
  cv::Mat out = Degrade(Impulse(41, 255), {DegradationKind::kDefocusBlur, 4.0}, 1);
  const uint8_t centre = out.at<cv::Vec3b>(20, 20)[0];
  EXPECT_GT(centre, 0);
  EXPECT_EQ(out.at<cv::Vec3b>(20, 23)[0], centre);
  EXPECT_EQ(out.at<cv::Vec3b>(23, 20)[0], centre);
  EXPECT_EQ(out.at<cv::Vec3b>(20, 25)[0], 0);
  EXPECT_EQ(out.at<cv::Vec3b>(24, 24)[0], 0);
  EXPECT_NEAR(255.0 / centre, M_PI * 16, M_PI * 16 * 0.25);  // disk area
}

TEST(DegradationTest, SensorNoiseHasTheRequestedDeviationAndFollowsTheSeed) {
  cv::Mat grey(200, 200, CV_8UC3, cv::Scalar(128, 128, 128));
  cv::Mat a = Degrade(grey, {DegradationKind::kSensorNoise, 10.0}, 7);
  cv::Mat diff;
  a.convertTo(diff, CV_32FC3);
  diff -= cv::Scalar(128, 128, 128);
  cv::Scalar mean, sd;
  cv::meanStdDev(diff.reshape(1), mean, sd);
  EXPECT_NEAR(sd[0], 10.0, 0.3);
  EXPECT_NEAR(mean[0], 0.0, 0.2);
  EXPECT_EQ(cv::norm(a, Degrade(grey, {DegradationKind::kSensorNoise, 10.0}, 7), cv::NORM_INF),
            0.0);
  EXPECT_GT(cv::norm(a, Degrade(grey, {DegradationKind::kSensorNoise, 10.0}, 8), cv::NORM_INF),
            0.0);
}

TEST(DegradationTest, LowerJpegQualityLosesMore) {
  cv::Mat bgr = Tissue();
  cv::Mat noisy = Degrade(bgr, {DegradationKind::kSensorNoise, 8.0}, 3);  // detail JPEG must drop
  double last_psnr = 1e9;
  for (double quality : {90.0, 50.0, 10.0, 3.0}) {
    double psnr = cv::PSNR(noisy, Degrade(noisy, {DegradationKind::kJpeg, quality}, 1));
    EXPECT_LT(psnr, last_psnr) << "quality " << quality;
    last_psnr = psnr;
  }
}

TEST(DegradationTest, BrightnessIsAGainThatSaturates) {
  cv::Mat bgr(4, 4, CV_8UC3, cv::Scalar(100, 200, 50));
  cv::Mat half = Degrade(bgr, {DegradationKind::kBrightness, 0.5}, 1);
  EXPECT_EQ(half.at<cv::Vec3b>(1, 1), cv::Vec3b(50, 100, 25));
  cv::Mat bright = Degrade(bgr, {DegradationKind::kBrightness, 1.6}, 1);
  EXPECT_EQ(bright.at<cv::Vec3b>(1, 1), cv::Vec3b(160, 255, 80));
}

TEST(DegradationTest, StainShiftScalesHematoxylinAndEosin) {
  cv::Mat bgr = Tissue();
  EXPECT_LE(cv::norm(Degrade(bgr, {DegradationKind::kStainShift, 0.0}, 1), bgr, cv::NORM_INF), 1.0);
  cv::Mat before = StainConcentrations(bgr);
  cv::Mat after = StainConcentrations(Degrade(bgr, {DegradationKind::kStainShift, 0.3}, 1));
  // Compare the totals: 8-bit rounding blurs single pixels, not the sums.
  cv::Scalar sum_before = cv::sum(before), sum_after = cv::sum(after);
  EXPECT_NEAR(sum_after[0] / sum_before[0], 1.3, 0.03);
  EXPECT_NEAR(sum_after[1] / sum_before[1], 0.7, 0.03);
}

TEST(DegradationTest, LadderCoversEveryKind) {
  std::vector<Degradation> ladder = StandardDegradationLadder();
  EXPECT_EQ(ladder.size(), 27u);
  for (auto kind : {DegradationKind::kGaussianBlur, DegradationKind::kDefocusBlur,
                    DegradationKind::kSensorNoise, DegradationKind::kJpeg,
                    DegradationKind::kBrightness, DegradationKind::kStainShift}) {
    EXPECT_TRUE(std::any_of(ladder.begin(), ladder.end(), [&](const Degradation& d) {
      return d.kind == kind;
    })) << DegradationKindName(kind);
  }
  EXPECT_EQ(DegradationLabel({DegradationKind::kGaussianBlur, 2}), "gaussian_blur 2 sigma px");
}

}  // namespace
}  // namespace vigil::image
