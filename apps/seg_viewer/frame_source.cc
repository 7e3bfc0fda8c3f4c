#include "apps/seg_viewer/frame_source.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <opencv2/videoio.hpp>

#include "apps/seg_viewer/glas_dataset.h"
#include "apps/seg_viewer/image_file.h"
#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"

namespace vigil::seg {
namespace {

bool IsImageFile(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* known : {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}) {
    if (ext == known) return true;
  }
  return false;
}

}  // namespace

FrameSource::FrameSource(FrameSource&&) noexcept = default;
FrameSource::~FrameSource() = default;

FrameSource FrameSource::Open(const std::string& spec) {
  const size_t colon = spec.find(':');
  const std::string kind = spec.substr(0, colon),
                    target = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (colon == std::string::npos || target.empty()) {
    throw HostError("--source '" + spec + "': expected camera:N, video:FILE or images:DIR");
  }
  FrameSource source;
  if (kind == "images") {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(target, error)) {
      const std::string stem = entry.path().stem().string();
      // GlaS masks sit beside their images; they are not frames.
      if (IsImageFile(entry.path()) && !stem.ends_with("_anno"))
        source.images_.push_back(entry.path().string());
    }
    if (error) throw HostError("--source " + spec + ": cannot list the folder: " + error.message());
    if (source.images_.empty()) throw HostError("--source " + spec + ": no images in the folder");
    std::sort(source.images_.begin(), source.images_.end());
    // Every image readable, of a known format and size, before the first frame is written.
    for (const std::string& path : source.images_)
      ReadImageHeader(ReadFileBytes(path, kImageFile), path);
    return source;
  }
  if (kind == "camera") {
    const int64_t index = ParseInteger("--source camera:N", target, IntegerRange{0, 1023});
    source.capture_ = std::make_unique<cv::VideoCapture>(static_cast<int>(index), cv::CAP_V4L2);
    source.live_ = true;
  } else if (kind == "video") {
    if (!std::filesystem::is_regular_file(target))
      throw HostError("--source " + spec + ": no such file");
    source.capture_ = std::make_unique<cv::VideoCapture>(target, cv::CAP_ANY);
  } else {
    throw HostError("--source '" + spec + "': unknown kind '" + kind +
                    "' (camera, video or images)");
  }
  if (!source.capture_->isOpened()) throw HostError("--source " + spec + ": OpenCV cannot open it");
  CheckImageSize(static_cast<int64_t>(source.capture_->get(cv::CAP_PROP_FRAME_WIDTH)),
                 static_cast<int64_t>(source.capture_->get(cv::CAP_PROP_FRAME_HEIGHT)),
                 "--source " + spec);
  return source;
}

bool FrameSource::Read(Frame* frame) {
  frame->index = next_;
  if (!capture_) {
    if (next_ >= static_cast<int64_t>(images_.size())) return false;
    const std::string& path = images_[next_++];
    frame->bgr = ReadColorImage(path);
    frame->name = std::filesystem::path(path).stem().string();
    return true;
  }
  if (!capture_->read(frame->bgr) || frame->bgr.empty()) return false;
  char name[32];
  std::snprintf(name, sizeof(name), "frame_%06lld", static_cast<long long>(next_++));
  frame->name = name;
  return true;
}

double FrameSource::frames_per_second() const {
  return capture_ ? capture_->get(cv::CAP_PROP_FPS) : 0.0;
}

}  // namespace vigil::seg
