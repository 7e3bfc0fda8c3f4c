// GlaS data sets on disk: `NAME_<n>.png` images with `NAME_<n>_anno.png` instance masks
// (0 = background, 1..N = one gland each), as in the Warwick-QU release.
//
//   for (const GlasSample& s : ListGlasSplit(dir, "testA")) {
//     cv::Mat bgr = ReadColorImage(s.image_path);
//     cv::Mat labels = ReadInstanceMask(s.mask_path, bgr.size());
//   }
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace vigil::seg {

struct GlasSample {
  std::string name;  // "testA_7"
  std::string image_path, mask_path;
};

// Every image of `split` in `dir`, in order of n. Throws HostError when there is none or an image
// has no mask.
std::vector<GlasSample> ListGlasSplit(const std::string& dir, const std::string& split);

// 8-bit BGR; throws HostError naming the path when it cannot be read or is too large
// (apps/seg_viewer/image_file.h).
cv::Mat ReadColorImage(const std::string& path);
// Instance labels as CV_32S; throws HostError unless it is a one-channel image of `expected` size.
cv::Mat ReadInstanceMask(const std::string& path, cv::Size expected);
// The same from encoded bytes (PNG, JPEG, TIFF or BMP); `name` appears in errors. Fuzzed:
// apps/seg_viewer/mask_fuzz.cc.
cv::Mat DecodeInstanceMask(const std::vector<uint8_t>& bytes, cv::Size expected,
                           const std::string& name);

}  // namespace vigil::seg
