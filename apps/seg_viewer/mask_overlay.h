// The viewer's picture: the frame with the gland mask as a translucent fill and its contours, and a
// legend strip below the frame (never over the tissue) with the colour key and a status line.
//
//   cv::Mat shown = DrawMaskOverlay(frame, mask, "focus 412 | 38 ms");
//   cv::Mat shown = DrawQualityRejection(frame, "image quality too low: focus 12.0 < 40.0");
//
// The output is frame.cols wide and frame.rows + kLegendHeight tall; rows [0, frame.rows) are the
// frame, changed only where the mask is set or within kContourThickness pixels of its edge.
#pragma once

#include <string>

#include <opencv2/core.hpp>

namespace vigil::seg {

inline constexpr int kLegendHeight = 28;
inline constexpr int kContourThickness = 2;
inline constexpr double kFillOpacity = 0.4;
inline const cv::Scalar kFillColor{0, 255, 0};       // BGR green: no H&E stain is green
inline const cv::Scalar kContourColor{0, 255, 255};  // BGR yellow

// `mask` is CV_8U of the frame's size, > 0 = gland.
cv::Mat DrawMaskOverlay(const cv::Mat& bgr, const cv::Mat& mask, const std::string& status);
// The frame untouched, the legend strip carrying `message` in red, and no mask.
cv::Mat DrawQualityRejection(const cv::Mat& bgr, const std::string& message);

}  // namespace vigil::seg
