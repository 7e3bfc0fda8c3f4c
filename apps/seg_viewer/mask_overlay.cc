#include "apps/seg_viewer/mask_overlay.h"

#include <vector>

#include <opencv2/imgproc.hpp>

#include "host/error.h"

namespace vigil::seg {
namespace {

cv::Mat WithLegendStrip(const cv::Mat& bgr) {
  cv::Mat out(bgr.rows + kLegendHeight, bgr.cols, CV_8UC3, cv::Scalar(32, 32, 32));
  bgr.copyTo(out(cv::Rect(0, 0, bgr.cols, bgr.rows)));
  return out;
}

void Text(cv::Mat& out, const std::string& text, int x, const cv::Scalar& color) {
  cv::putText(out, text, {x, out.rows - 9}, cv::FONT_HERSHEY_SIMPLEX, 0.5, color, 1, cv::LINE_AA);
}

}  // namespace

cv::Mat DrawMaskOverlay(const cv::Mat& bgr, const cv::Mat& mask, const std::string& status) {
  if (bgr.type() != CV_8UC3 || mask.type() != CV_8U || mask.size() != bgr.size()) {
    throw HostError("overlay: expected a BGR frame and an 8-bit mask of the same size");
  }
  cv::Mat out = WithLegendStrip(bgr);
  cv::Mat frame = out(cv::Rect(0, 0, bgr.cols, bgr.rows));
  cv::Mat tinted;
  cv::addWeighted(bgr, 1.0 - kFillOpacity, cv::Mat(bgr.size(), CV_8UC3, kFillColor), kFillOpacity,
                  0.0, tinted);
  const cv::Mat gland = mask > 0;
  tinted.copyTo(frame, gland);
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(gland, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  cv::drawContours(frame, contours, -1, kContourColor, kContourThickness, cv::LINE_8);

  const int y = out.rows - kLegendHeight + 7;
  cv::rectangle(out, {8, y}, {22, y + 14}, kFillColor, cv::FILLED);
  cv::rectangle(out, {8, y}, {22, y + 14}, kContourColor, 1);
  Text(out, "gland", 28, {255, 255, 255});
  Text(out, status, 90, {200, 200, 200});
  return out;
}

cv::Mat DrawQualityRejection(const cv::Mat& bgr, const std::string& message) {
  if (bgr.type() != CV_8UC3) throw HostError("overlay: expected a BGR frame");
  cv::Mat out = WithLegendStrip(bgr);
  Text(out, message, 8, {64, 64, 255});
  return out;
}

}  // namespace vigil::seg
