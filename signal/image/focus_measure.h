// Focus measures for the segmentation pipeline's image-quality gate.
//
// A frame is measured on its grey image resized (INTER_AREA) to a fixed analysis size, the model's
// input size, so that one threshold holds whatever the camera's resolution: detail finer than the
// model can see does not count, detail it relies on does.
//
//   cv::Mat grey = FocusAnalysisImage(frame_bgr, {384, 256});
//   if (LaplacianVariance(grey) < threshold) reject("image quality too low: ...");
//
// Both measures are in squared 8-bit grey levels and grow with contrast as well as sharpness.
#pragma once

#include <opencv2/core.hpp>

namespace vigil::image {

// Grey (8-bit, from BGR or grey input) resized to `size` with area averaging.
cv::Mat FocusAnalysisImage(const cv::Mat& bgr_or_grey, cv::Size size);

// Variance of the 4-neighbour Laplacian ([0 1 0; 1 -4 1; 0 1 0]) over the image, borders
// reflected (Pech-Pacheco et al. 2000).
double LaplacianVariance(const cv::Mat& grey);

// Mean squared gradient magnitude of the 3x3 Sobel operators (Tenengrad, Krotkov 1987).
double Tenengrad(const cv::Mat& grey);

}  // namespace vigil::image
