// The overlay marks exactly the mask: every mask pixel is tinted (or outlined), every pixel away
// from the mask is the frame's own, and the legend stays below the frame.
#include "apps/seg_viewer/mask_overlay.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace vigil::seg {
namespace {

bool IsMarked(const cv::Vec3b& original, const cv::Vec3b& shown) {
  const cv::Vec3b contour{static_cast<uint8_t>(kContourColor[0]),
                          static_cast<uint8_t>(kContourColor[1]),
                          static_cast<uint8_t>(kContourColor[2])};
  if (shown == contour) return true;
  for (int c = 0; c < 3; ++c) {  // the fill: (1 - a) * original + a * fill colour, per channel
    const double expected = (1.0 - kFillOpacity) * original[c] + kFillOpacity * kFillColor[c];
    if (std::abs(shown[c] - expected) > 1.0) return false;
  }
  return true;
}

TEST(MaskOverlayTest, MarksExactlyTheMaskPixels) {
  cv::Mat frame(60, 80, CV_8UC3);
  cv::randu(frame, 0, 200);
  cv::Mat mask = cv::Mat::zeros(frame.size(), CV_8U);
  cv::circle(mask, {25, 30}, 12, cv::Scalar(255), cv::FILLED);
  mask(cv::Rect(55, 10, 15, 20)) = 255;
  cv::Mat shown = DrawMaskOverlay(frame, mask, "test");
  ASSERT_EQ(shown.size(), cv::Size(80, 60 + kLegendHeight));
  cv::Mat near_mask;
  cv::dilate(mask, near_mask,
             cv::getStructuringElement(cv::MORPH_RECT,
                                       {2 * kContourThickness + 1, 2 * kContourThickness + 1}));
  int marked = 0;
  for (int y = 0; y < frame.rows; ++y) {
    for (int x = 0; x < frame.cols; ++x) {
      const cv::Vec3b o = frame.at<cv::Vec3b>(y, x), s = shown.at<cv::Vec3b>(y, x);
      if (mask.at<uint8_t>(y, x)) {
        EXPECT_TRUE(IsMarked(o, s)) << "mask pixel " << x << "," << y << " not marked";
        ++marked;
      } else if (!near_mask.at<uint8_t>(y, x)) {
        EXPECT_EQ(o, s) << "pixel " << x << "," << y << " away from the mask changed";
      }
    }
  }
  EXPECT_EQ(marked, cv::countNonZero(mask));
}

TEST(MaskOverlayTest, RejectionLeavesTheFrameUntouched) {
  cv::Mat frame(40, 300, CV_8UC3, cv::Scalar(120, 80, 200));
  cv::Mat shown = DrawQualityRejection(frame, "image quality too low: focus 3.0 < 40.0");
  ASSERT_EQ(shown.rows, 40 + kLegendHeight);
  EXPECT_EQ(cv::norm(shown(cv::Rect(0, 0, 300, 40)), frame, cv::NORM_INF), 0.0);
  EXPECT_GT(cv::norm(shown(cv::Rect(0, 40, 300, kLegendHeight)),
                     cv::Mat(kLegendHeight, 300, CV_8UC3, cv::Scalar(32, 32, 32)), cv::NORM_INF),
            0.0);  // the message is drawn
}

TEST(MaskOverlayTest, RejectsAMaskOfAnotherSize) {
  EXPECT_ANY_THROW(DrawMaskOverlay(cv::Mat(10, 10, CV_8UC3), cv::Mat::zeros(5, 5, CV_8U), ""));
}

}  // namespace
}  // namespace vigil::seg
