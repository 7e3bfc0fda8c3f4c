// Times OpenCV 4.6's dnn module (Debian libopencv-dev, its own CPU backend, one thread) on an ONNX
// model the way `vigil bench` times Invoke; prints JSON with median and p90 in milliseconds.
// Usage: opencv_dnn_bench MODEL.onnx ITERATIONS WARMUP D1xD2x... [more input shapes]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: opencv_dnn_bench MODEL.onnx ITERATIONS WARMUP SHAPE [SHAPE...]\n");
    return 2;
  }
  const int iterations = std::stoi(argv[2]), warmup = std::stoi(argv[3]);
  cv::setNumThreads(1);
  cv::dnn::Net net = cv::dnn::readNetFromONNX(argv[1]);
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  std::vector<cv::String> names;
  for (int k = 4; k < argc; ++k) {
    std::vector<int> dims;
    std::string shape = argv[k];
    for (size_t start = 0; start <= shape.size();) {
      size_t x = shape.find('x', start);
      dims.push_back(
          std::stoi(shape.substr(start, x == std::string::npos ? std::string::npos : x - start)));
      if (x == std::string::npos) break;
      start = x + 1;
    }
    cv::Mat input(static_cast<int>(dims.size()), dims.data(), CV_32F);
    cv::RNG rng(1234);
    rng.fill(input, cv::RNG::NORMAL, 0.0, 1.0);
    net.setInput(input, k == 4 ? "" : cv::String());
  }
  for (int i = 0; i < warmup; ++i)
    net.forward();
  std::vector<double> ms;
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    cv::Mat out = net.forward();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) {
    return ms[std::min(ms.size() - 1,
                       static_cast<size_t>(p * static_cast<double>(ms.size() - 1) + 0.5))];
  };
  std::printf(
      "{\"peer\": \"OpenCV %s dnn\", \"iterations\": %d, \"warmup\": %d, \"median_ms\": %.6f, "
      "\"p90_ms\": %.6f, "
      "\"min_ms\": %.6f, \"threads\": 1}\n",
      CV_VERSION, iterations, warmup, at(0.5), at(0.9), ms.front());
  return 0;
}
