#include "signal/image/focus_measure.h"

#include <opencv2/imgproc.hpp>

namespace vigil::image {

cv::Mat FocusAnalysisImage(const cv::Mat& bgr_or_grey, cv::Size size) {
  cv::Mat grey;
  if (bgr_or_grey.channels() == 3) {
    cv::cvtColor(bgr_or_grey, grey, cv::COLOR_BGR2GRAY);
  } else {
    grey = bgr_or_grey;
  }
  if (grey.size() == size) return grey.clone();
  cv::Mat resized;
  cv::resize(grey, resized, size, 0, 0, cv::INTER_AREA);
  return resized;
}

double LaplacianVariance(const cv::Mat& grey) {
  cv::Mat laplacian;
  cv::Laplacian(grey, laplacian, CV_64F, 1, 1.0, 0.0, cv::BORDER_REFLECT_101);
  cv::Scalar mean, stddev;
  cv::meanStdDev(laplacian, mean, stddev);
  return stddev[0] * stddev[0];
}

double Tenengrad(const cv::Mat& grey) {
  cv::Mat gx, gy;
  cv::Sobel(grey, gx, CV_64F, 1, 0, 3, 1.0, 0.0, cv::BORDER_REFLECT_101);
  cv::Sobel(grey, gy, CV_64F, 0, 1, 3, 1.0, 0.0, cv::BORDER_REFLECT_101);
  return cv::mean(gx.mul(gx) + gy.mul(gy))[0];
}

}  // namespace vigil::image
