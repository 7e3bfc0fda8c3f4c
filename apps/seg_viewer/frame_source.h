// FrameSource: where `vigil seg run` gets its frames, through OpenCV.
//
//   camera:N     V4L2 camera N (/dev/videoN)
//   video:FILE   a video file (any container and codec OpenCV's FFmpeg backend reads)
//   images:DIR   every .png, .jpg, .jpeg, .tif, .tiff, .bmp in DIR, in name order
//
//   FrameSource source = FrameSource::Open("images:slides/");
//   Frame frame;
//   while (source.Read(&frame)) process(frame.bgr);
//
// Open throws HostError naming the spec when it is malformed or cannot be opened, and naming the
// file when an image of the folder is unreadable, not a PNG/JPEG/TIFF/BMP or too large (its header
// is read; apps/seg_viewer/image_file.h), or when a video's frames are too large. Read returns
// false at the end (never for a live camera, unless it fails) and throws on an image that passed
// Open's check but cannot be decoded (a damaged file).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace cv {
class VideoCapture;
}

namespace vigil::seg {

struct Frame {
  cv::Mat bgr;
  std::string name;  // image stem, or "frame_000042" for cameras and videos
  int64_t index = 0;
};

class FrameSource {
 public:
  static FrameSource Open(const std::string& spec);
  FrameSource(FrameSource&&) noexcept;
  ~FrameSource();

  bool Read(Frame* frame);
  bool is_live() const { return live_; }
  bool is_images() const { return capture_ == nullptr; }
  double frames_per_second() const;  // of a video or camera; 0 when unknown or for images

 private:
  FrameSource() = default;
  std::unique_ptr<cv::VideoCapture> capture_;
  std::vector<std::string> images_;
  bool live_ = false;
  int64_t next_ = 0;
};

}  // namespace vigil::seg
