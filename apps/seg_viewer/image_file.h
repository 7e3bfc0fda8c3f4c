// Image files from outside (frames, GlaS images, annotation masks), decoded within a known bound.
//
// cv::imread and cv::imdecode allocate whatever a header declares (up to 2^30 pixels, then an
// assertion) before they find out whether the data is there. So the dimensions are read from the
// header first, by the small parsers here, and an image of more than kMaxImagePixels is refused
// before OpenCV sees it. Only the four formats whose headers are parsed here are accepted (PNG,
// JPEG, TIFF, BMP); anything else is refused by content, whatever its name. Every error is a
// HostError naming the file (docs/limits.md).
//
//   cv::Mat bgr = DecodeImage(ReadFileBytes(path, kImageFile), cv::IMREAD_COLOR, path);
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <opencv2/core.hpp>

namespace vigil::seg {

// 2^25 pixels: an 8K UHD frame (7680 x 4320) fits; a GlaS image is about 0.4 million.
inline constexpr int64_t kMaxImagePixels = int64_t{1} << 25;

struct ImageHeader {
  const char* format;  // "PNG", "JPEG", "TIFF" or "BMP"
  int64_t width, height;
};

// The format and dimensions a PNG, JPEG, TIFF (classic, first image) or BMP header declares.
// Throws HostError naming `name` for any other content, a malformed header, or an image that is
// empty or has more than kMaxImagePixels pixels.
ImageHeader ReadImageHeader(std::span<const uint8_t> bytes, const std::string& name);
// Throws HostError naming `name` when width x height is more than kMaxImagePixels (video frames).
void CheckImageSize(int64_t width, int64_t height, const std::string& name);

// ReadImageHeader, then cv::imdecode with `flags`. Throws HostError naming `name` when the header
// is refused or OpenCV cannot decode the image.
cv::Mat DecodeImage(std::span<const uint8_t> bytes, int flags, const std::string& name);

}  // namespace vigil::seg
