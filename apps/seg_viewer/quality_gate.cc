#include "apps/seg_viewer/quality_gate.h"

#include <cstdio>

#include "apps/seg_viewer/gland_segmenter.h"
#include "signal/image/focus_measure.h"

namespace vigil::seg {

double ModelViewFocus(const GlandSegmenter& segmenter, const cv::Mat& bgr) {
  return image::LaplacianVariance(
      image::FocusAnalysisImage(bgr, segmenter.ModelViewSize(bgr.size())));
}

QualityVerdict CheckImageQuality(const GlandSegmenter& segmenter, const cv::Mat& bgr,
                                 double threshold) {
  QualityVerdict v;
  v.focus = ModelViewFocus(segmenter, bgr);
  v.passed = v.focus >= threshold;
  if (!v.passed) {
    char text[96];
    std::snprintf(text, sizeof(text), "image quality too low: focus %.1f < %.1f", v.focus,
                  threshold);
    v.message = text;
  }
  return v;
}

}  // namespace vigil::seg
