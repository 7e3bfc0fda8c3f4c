#include "apps/seg_viewer/image_file.h"

#include <cstring>

#include <opencv2/imgcodecs.hpp>

#include "host/error.h"

namespace vigil::seg {
namespace {

// Reads integers of the header, throwing when they lie past the end of the file.
class HeaderBytes {
 public:
  HeaderBytes(std::span<const uint8_t> bytes, const std::string& name, const char* format)
      : bytes_(bytes), name_(name), format_(format) {}
  [[noreturn]] void Refuse(const std::string& what) const { throw HostError(name_ + ": " + what); }
  [[noreturn]] void Malformed(const std::string& what) const {
    Refuse("malformed " + std::string(format_) + " header: " + what);
  }
  bool StartsWith(const char* magic, size_t size) const {
    return bytes_.size() >= size && std::memcmp(bytes_.data(), magic, size) == 0;
  }
  size_t size() const { return bytes_.size(); }
  uint8_t U8(size_t at) const {
    if (at >= bytes_.size()) Malformed("it ends early");
    return bytes_[at];
  }
  uint32_t U16(size_t at, bool big_endian) const {
    return big_endian ? uint32_t{U8(at)} << 8 | U8(at + 1) : uint32_t{U8(at + 1)} << 8 | U8(at);
  }
  uint32_t U32(size_t at, bool big_endian) const {
    return big_endian ? U16(at, true) << 16 | U16(at + 2, true)
                      : U16(at + 2, false) << 16 | U16(at, false);
  }

 private:
  std::span<const uint8_t> bytes_;
  const std::string& name_;
  const char* format_;
};

ImageHeader PngHeader(const HeaderBytes& h) {
  if (!(h.U8(12) == 'I' && h.U8(13) == 'H' && h.U8(14) == 'D' && h.U8(15) == 'R'))
    h.Malformed("no IHDR first");
  return {"PNG", h.U32(16, true), h.U32(20, true)};
}

// The first frame header (SOFn) among the marker segments before the first scan, as libjpeg reads
// it.
ImageHeader JpegHeader(const HeaderBytes& h) {
  for (size_t at = 2;;) {
    if (h.U8(at) != 0xFF) h.Malformed("no marker at byte " + std::to_string(at));
    while (h.U8(at) == 0xFF)
      ++at;  // fill bytes
    const uint8_t marker = h.U8(at++);
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) h.Malformed("no frame header before the image data");
    const uint32_t length = h.U16(at, true);
    if (length < 2) h.Malformed("a segment of length " + std::to_string(length));
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) return {"JPEG", h.U16(at + 5, true), h.U16(at + 3, true)};
    at += length;
  }
}

// ImageWidth (256) and ImageLength (257) of the first image file directory.
ImageHeader TiffHeader(const HeaderBytes& h, bool big_endian) {
  if (h.U16(2, big_endian) == 43) h.Refuse("BigTIFF images are not supported");
  const uint32_t directory = h.U32(4, big_endian);
  const uint32_t entries = h.U16(directory, big_endian);
  int64_t width = -1, height = -1;
  for (uint32_t k = 0; k < entries; ++k) {
    const size_t entry = size_t{directory} + 2 + 12 * size_t{k};
    const uint32_t tag = h.U16(entry, big_endian), type = h.U16(entry + 2, big_endian);
    if (tag != 256 && tag != 257) continue;
    if (type != 3 && type != 4) h.Malformed("image size of type " + std::to_string(type));
    const int64_t value = type == 3 ? h.U16(entry + 8, big_endian) : h.U32(entry + 8, big_endian);
    (tag == 256 ? width : height) = value;
  }
  if (width < 0 || height < 0) h.Malformed("no ImageWidth or ImageLength");
  return {"TIFF", width, height};
}

ImageHeader BmpHeader(const HeaderBytes& h) {
  const uint32_t info_size = h.U32(14, false);
  if (info_size == 12) return {"BMP", h.U16(18, false), h.U16(20, false)};  // OS/2 core header
  if (info_size < 40) h.Malformed("an info header of " + std::to_string(info_size) + " bytes");
  const auto width = static_cast<int32_t>(h.U32(18, false));
  const auto height = static_cast<int32_t>(h.U32(22, false));  // negative: stored top-down
  return {"BMP", width, height < 0 ? -int64_t{height} : height};
}

ImageHeader ParseImageHeader(std::span<const uint8_t> bytes, const std::string& name) {
  if (HeaderBytes h(bytes, name, "PNG"); h.StartsWith("\x89PNG\r\n\x1a\n", 8)) return PngHeader(h);
  if (HeaderBytes h(bytes, name, "JPEG"); h.StartsWith("\xFF\xD8\xFF", 3)) return JpegHeader(h);
  if (HeaderBytes h(bytes, name, "TIFF"); h.StartsWith("II", 2) || h.StartsWith("MM", 2)) {
    const bool big_endian = bytes[0] == 'M';
    if (h.U16(2, big_endian) == 42 || h.U16(2, big_endian) == 43) return TiffHeader(h, big_endian);
  }
  if (HeaderBytes h(bytes, name, "BMP"); h.StartsWith("BM", 2)) return BmpHeader(h);
  throw HostError(name + ": not a PNG, JPEG, TIFF or BMP image");
}

}  // namespace

ImageHeader ReadImageHeader(std::span<const uint8_t> bytes, const std::string& name) {
  const ImageHeader header = ParseImageHeader(bytes, name);
  const std::string size = std::to_string(header.width) + "x" + std::to_string(header.height);
  if (header.width <= 0 || header.height <= 0) {
    throw HostError(name + ": the " + header.format + " header declares an image of " + size +
                    " pixels");
  }
  CheckImageSize(header.width, header.height, name);
  return header;
}

void CheckImageSize(int64_t width, int64_t height, const std::string& name) {
  if (width > kMaxImagePixels || height > kMaxImagePixels || width * height > kMaxImagePixels) {
    throw HostError(name + ": a " + std::to_string(width) + "x" + std::to_string(height) +
                    " image is larger than the " + std::to_string(kMaxImagePixels) +
                    " pixels an image may have (docs/limits.md)");
  }
}

cv::Mat DecodeImage(std::span<const uint8_t> bytes, int flags, const std::string& name) {
  const ImageHeader header = ReadImageHeader(bytes, name);
  if (bytes.size() > static_cast<size_t>(INT32_MAX))
    throw HostError(name + ": too many bytes to decode");
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(
        cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<uint8_t*>(bytes.data())),
        flags);
  } catch (const cv::Exception& e) {
    throw HostError(name + ": cannot decode the " + header.format + " image: " + e.err);
  }
  if (decoded.empty())
    throw HostError(name + ": cannot decode the " + header.format + " image (damaged?)");
  return decoded;
}

}  // namespace vigil::seg
