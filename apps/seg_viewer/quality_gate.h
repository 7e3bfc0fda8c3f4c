// The image-quality gate of the segmentation pipeline: a frame whose focus measure (variance of
// the Laplacian, measured at the size the model sees the frame) is below the threshold gets no
// mask, only "image quality too low: focus X < T". The default threshold and its rationale are in
// docs/failure_modes_segmentation.md (chosen from `vigil seg stress`).
#pragma once

#include <string>

#include <opencv2/core.hpp>

namespace vigil::seg {

class GlandSegmenter;

inline constexpr double kDefaultFocusThreshold = 40.0;

struct QualityVerdict {
  double focus = 0;
  bool passed = true;
  std::string message;  // empty when passed
};

// Focus of `bgr` as the segmenter's model sees it (resized whole or at the tiling scale).
double ModelViewFocus(const GlandSegmenter& segmenter, const cv::Mat& bgr);
QualityVerdict CheckImageQuality(const GlandSegmenter& segmenter, const cv::Mat& bgr,
                                 double threshold);

}  // namespace vigil::seg
