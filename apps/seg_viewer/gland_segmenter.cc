#include "apps/seg_viewer/gland_segmenter.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "host/error.h"
#include "host/loaded_model.h"

namespace vigil::seg {
namespace {

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Tile origins along one axis: evenly spaced from 0 to length - tile, at most 3/4 of a tile apart.
std::vector<int> TileOrigins(int length, int tile) {
  if (length <= tile) return {0};
  const int stride = tile * 3 / 4;
  const int count = (length - tile + stride - 1) / stride + 1;
  std::vector<int> origins;
  for (int i = 0; i < count; ++i)
    origins.push_back(static_cast<int>(std::lround(double(length - tile) * i / (count - 1))));
  return origins;
}

}  // namespace

GlandSegmenter::GlandSegmenter(const std::string& model_path, float threshold)
    : model_path_(model_path), threshold_(threshold) {
  model_ = std::make_unique<LoadedModel>(LoadedModel::FromFile(model_path));
  const Interpreter& interpreter = model_->interpreter();
  const TensorView in = interpreter.input(0), out = interpreter.output(0);
  if (interpreter.input_count() != 1 || interpreter.output_count() != 1 || in.shape.rank != 4 ||
      in.shape.dims[0] != 1 || in.shape.dims[1] != 3 || out.shape.rank != 4 ||
      out.shape.dims[1] != 1 || out.shape.dims[2] != in.shape.dims[2] ||
      out.shape.dims[3] != in.shape.dims[3]) {
    throw HostError(
        model_path +
        ": not a segmentation model (expected one 1x3xHxW input and one 1x1xHxW output)");
  }
  input_size_ = {in.shape.dims[3], in.shape.dims[2]};
  for (int t = 0; t < interpreter.tensor_count() && !quantized_;
       ++t) {  // any int8 tensor: an INT8 model
    quantized_ = interpreter.tensor(t).dtype == DType::kInt8;
  }
}

GlandSegmenter::~GlandSegmenter() = default;

bool GlandSegmenter::UsesTiles(cv::Size frame) const {
  const double scale = double(input_size_.width) / kTrainingFieldWidth;
  return frame.width * scale > 1.5 * input_size_.width ||
         frame.height * scale > 1.5 * input_size_.height;
}

cv::Size GlandSegmenter::ModelViewSize(cv::Size frame) const {
  if (!UsesTiles(frame)) return input_size_;
  const double scale = double(input_size_.width) / kTrainingFieldWidth;
  return {std::max(1, int(std::lround(frame.width * scale))),
          std::max(1, int(std::lround(frame.height * scale)))};
}

std::vector<float> GlandSegmenter::InputTensor(const cv::Mat& bgr) {
  std::vector<float> tensor(static_cast<size_t>(3) * bgr.rows * bgr.cols);
  const size_t plane = static_cast<size_t>(bgr.rows) * bgr.cols;
  for (int y = 0; y < bgr.rows; ++y) {
    const cv::Vec3b* row = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      const size_t i = static_cast<size_t>(y) * bgr.cols + x;
      for (int c = 0; c < 3; ++c)
        tensor[c * plane + i] = row[x][2 - c] / 255.0f;  // RGB planes
    }
  }
  return tensor;
}

cv::Mat GlandSegmenter::RunModel(const cv::Mat& bgr_at_input_size, StageTimes* times) {
  auto start = std::chrono::steady_clock::now();
  model_->SetInput(0, InputTensor(bgr_at_input_size));
  if (times) times->preprocess_ms += MillisecondsSince(start);
  start = std::chrono::steady_clock::now();
  model_->Invoke();
  std::vector<float> probability = model_->Output(0);
  if (times) times->infer_ms += MillisecondsSince(start);
  return cv::Mat(input_size_, CV_32F, probability.data()).clone();
}

cv::Mat GlandSegmenter::Probability(const cv::Mat& bgr, StageTimes* times) {
  if (bgr.empty() || bgr.type() != CV_8UC3)
    throw HostError("segmenter: expected an 8-bit BGR frame");
  if (UsesTiles(bgr.size())) return TiledProbability(bgr, times);
  auto start = std::chrono::steady_clock::now();
  cv::Mat resized;
  cv::resize(bgr, resized, input_size_, 0, 0, cv::INTER_AREA);
  if (times) times->preprocess_ms += MillisecondsSince(start);
  cv::Mat small = RunModel(resized, times);
  start = std::chrono::steady_clock::now();
  cv::Mat probability;
  cv::resize(small, probability, bgr.size(), 0, 0, cv::INTER_LINEAR);
  if (times) times->postprocess_ms += MillisecondsSince(start);
  return probability;
}

cv::Mat GlandSegmenter::TiledProbability(const cv::Mat& bgr, StageTimes* times) {
  auto start = std::chrono::steady_clock::now();
  const double scale = double(input_size_.width) / kTrainingFieldWidth;
  cv::Mat scaled;
  cv::resize(bgr, scaled, {}, scale, scale, cv::INTER_AREA);
  const cv::Size valid = scaled.size();
  cv::copyMakeBorder(scaled, scaled, 0, std::max(0, input_size_.height - valid.height), 0,
                     std::max(0, input_size_.width - valid.width), cv::BORDER_REFLECT_101);
  cv::Mat sum = cv::Mat::zeros(scaled.size(), CV_32F),
          count = cv::Mat::zeros(scaled.size(), CV_32F);
  if (times) times->preprocess_ms += MillisecondsSince(start);
  for (int y : TileOrigins(scaled.rows, input_size_.height)) {
    for (int x : TileOrigins(scaled.cols, input_size_.width)) {
      const cv::Rect tile({x, y}, input_size_);
      cv::Mat p = RunModel(scaled(tile), times);
      sum(tile) += p;
      count(tile) += 1.0f;
    }
  }
  start = std::chrono::steady_clock::now();
  cv::Mat mean = sum / count, probability;
  cv::resize(mean(cv::Rect({0, 0}, valid)), probability, bgr.size(), 0, 0, cv::INTER_LINEAR);
  if (times) times->postprocess_ms += MillisecondsSince(start);
  return probability;
}

cv::Mat GlandSegmenter::Segment(const cv::Mat& bgr, StageTimes* times) {
  cv::Mat probability = Probability(bgr, times);
  auto start = std::chrono::steady_clock::now();
  cv::Mat mask = probability > threshold_;
  if (times) times->postprocess_ms += MillisecondsSince(start);
  return mask;
}

}  // namespace vigil::seg
