// Graded image degradations for the segmentation failure-mode study (`vigil seg stress`): what a
// slide camera does to a frame when focus, exposure, compression or staining go wrong.
//
//   for (const Degradation& d : StandardDegradationLadder()) {
//     cv::Mat degraded = Degrade(frame_bgr, d, /*seed=*/image_index);
//     score(segment(degraded), truth);
//   }
//
// Every degradation takes and returns an 8-bit BGR image of the same size; levels are in the units
// named below, at the frame's own resolution. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace vigil::image {

enum class DegradationKind : uint8_t {
  kNone,          // the frame as captured
  kGaussianBlur,  // level: Gaussian sigma in pixels (slight defocus, vibration)
  kDefocusBlur,   // level: radius in pixels of a uniform disk (out-of-focus optics)
  kSensorNoise,   // level: standard deviation of additive Gaussian noise, in 8-bit grey levels
  kJpeg,          // level: JPEG quality 1-100 (lossy transmission or storage)
  kBrightness,    // level: exposure gain applied to every channel (0.5 = half the light)
  kStainShift,    // level: hematoxylin concentration scaled by 1+level, eosin by 1-level
};

struct Degradation {
  DegradationKind kind = DegradationKind::kNone;
  double level = 0;
};

const char* DegradationKindName(DegradationKind kind);  // "gaussian_blur", ...
const char* DegradationUnit(DegradationKind kind);      // "sigma px", "radius px", ...
std::string DegradationLabel(const Degradation& d);     // "gaussian_blur 2 sigma px"

cv::Mat Degrade(const cv::Mat& bgr, const Degradation& d, uint64_t seed);

// The ladder the failure-mode analysis uses: 27 levels over six kinds, mild to severe.
std::vector<Degradation> StandardDegradationLadder();

// Colour deconvolution (Ruifrok and Johnston 2001): optical densities of hematoxylin and eosin per
// pixel, in that order, as CV_32FC2. Used by the stain shift and by its test.
cv::Mat StainConcentrations(const cv::Mat& bgr);

}  // namespace vigil::image
