// GlandSegmenter: one frame in, the gland mask out, on the Vigil runtime.
//
// Preprocessing is the training script's (models/seg/train.py), step for step: BGR -> RGB, resize
// to the model's input with OpenCV INTER_AREA, scale to [0, 1], NCHW. The model returns a gland
// probability per input pixel; it is resized back to the frame (bilinear) and thresholded.
//
// Frames the size of a GlaS field (775x522 at 20x) or up to 1.5 times larger are resized whole, as
// in training. Larger frames (a camera's full sensor) are first scaled by the training scale
// (model width / 775) and covered with overlapping tiles of the model's input size, so glands
// appear at the size the model learned; overlapping probabilities are averaged.
//
//   GlandSegmenter segmenter("models/seg/seg_int8.vgl");
//   StageTimes t;
//   cv::Mat mask = segmenter.Segment(frame_bgr, &t);   // CV_8U, 255 = gland
//
// Not thread-safe: use one segmenter per thread. Throws HostError when the model cannot be loaded
// or is not a 1x3xHxW -> 1x1xHxW segmentation model.
#pragma once

#include <memory>
#include <string>

#include <opencv2/core.hpp>

namespace vigil {
class LoadedModel;
}

namespace vigil::seg {

// Width of a GlaS field at the magnification the model was trained on, in pixels.
inline constexpr int kTrainingFieldWidth = 775;

struct StageTimes {
  double preprocess_ms = 0, infer_ms = 0, postprocess_ms = 0;
};

class GlandSegmenter {
 public:
  explicit GlandSegmenter(const std::string& model_path, float threshold = 0.5f);
  ~GlandSegmenter();

  cv::Size input_size() const { return input_size_; }
  const std::string& model_path() const { return model_path_; }
  bool quantized() const { return quantized_; }

  // Gland probability per frame pixel (CV_32F, the frame's size); times are added to `times`.
  cv::Mat Probability(const cv::Mat& bgr, StageTimes* times = nullptr);
  // Probability > threshold as CV_8U 0/255.
  cv::Mat Segment(const cv::Mat& bgr, StageTimes* times = nullptr);
  // Whether a frame of this size is tiled rather than resized whole.
  bool UsesTiles(cv::Size frame) const;
  // The size at which the model sees a frame: the input size, or the frame at the tiling scale.
  cv::Size ModelViewSize(cv::Size frame) const;
  // The model's input for one RGB tile already at input size (exposed for golden tests).
  static std::vector<float> InputTensor(const cv::Mat& bgr_at_input_size);

 private:
  cv::Mat RunModel(const cv::Mat& bgr_at_input_size, StageTimes* times);  // CV_32F at input size
  cv::Mat TiledProbability(const cv::Mat& bgr, StageTimes* times);

  std::string model_path_;
  float threshold_;
  cv::Size input_size_;
  bool quantized_ = false;
  std::unique_ptr<LoadedModel> model_;
};

}  // namespace vigil::seg
