#include "signal/image/degradation.h"

#include <cmath>
#include <cstdio>
#include <random>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace vigil::image {
namespace {

// Stain vectors (optical density per R, G, B) of hematoxylin, eosin and DAB, rows normalised
// (Ruifrok and Johnston 2001). DAB completes the basis; H&E slides carry almost none.
cv::Matx33d StainMatrix() {
  cv::Matx33d m(0.650, 0.704, 0.286,  //
                0.072, 0.990, 0.105,  //
                0.268, 0.570, 0.776);
  for (int r = 0; r < 3; ++r) {
    double n = std::sqrt(m(r, 0) * m(r, 0) + m(r, 1) * m(r, 1) + m(r, 2) * m(r, 2));
    for (int c = 0; c < 3; ++c)
      m(r, c) /= n;
  }
  return m;
}

// Per pixel: rgb optical density -> stain concentrations (od = c * M, so c = od * M^-1), then
// `scale` applied to each stain, and back to 8-bit BGR when `out` is given.
void Deconvolve(const cv::Mat& bgr, cv::Vec3d scale, cv::Mat* concentrations, cv::Mat* out) {
  const cv::Matx33d m = StainMatrix(), inverse = m.inv();
  if (concentrations) concentrations->create(bgr.size(), CV_32FC2);
  if (out) out->create(bgr.size(), CV_8UC3);
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      cv::Matx13d od(-std::log((p[2] + 1.0) / 256.0), -std::log((p[1] + 1.0) / 256.0),
                     -std::log((p[0] + 1.0) / 256.0));
      cv::Matx13d c = od * inverse;
      if (concentrations) concentrations->at<cv::Vec2f>(y, x) = {float(c(0, 0)), float(c(0, 1))};
      if (!out) continue;
      for (int s = 0; s < 3; ++s)
        c(0, s) *= scale[s];
      cv::Matx13d shifted = c * m;
      cv::Vec3b& q = out->at<cv::Vec3b>(y, x);
      for (int ch = 0; ch < 3; ++ch) {
        q[2 - ch] = cv::saturate_cast<uint8_t>(256.0 * std::exp(-shifted(0, ch)) - 1.0);
      }
    }
  }
}

cv::Mat DefocusKernel(double radius) {
  const int r = static_cast<int>(std::ceil(radius));
  cv::Mat kernel = cv::Mat::zeros(2 * r + 1, 2 * r + 1, CV_32F);
  cv::circle(kernel, {r, r}, static_cast<int>(std::lround(radius)), cv::Scalar(1.0), cv::FILLED,
             cv::LINE_8);
  return kernel / cv::sum(kernel)[0];
}

}  // namespace

const char* DegradationKindName(DegradationKind kind) {
  switch (kind) {
    case DegradationKind::kNone: return "none";
    case DegradationKind::kGaussianBlur: return "gaussian_blur";
    case DegradationKind::kDefocusBlur: return "defocus_blur";
    case DegradationKind::kSensorNoise: return "sensor_noise";
    case DegradationKind::kJpeg: return "jpeg";
    case DegradationKind::kBrightness: return "brightness";
    case DegradationKind::kStainShift: return "stain_shift";
  }
  return "unknown";
}

const char* DegradationUnit(DegradationKind kind) {
  switch (kind) {
    case DegradationKind::kGaussianBlur: return "sigma px";
    case DegradationKind::kDefocusBlur: return "radius px";
    case DegradationKind::kSensorNoise: return "noise sd";
    case DegradationKind::kJpeg: return "quality";
    case DegradationKind::kBrightness: return "gain";
    case DegradationKind::kStainShift: return "H +/-";
    case DegradationKind::kNone: break;
  }
  return "";
}

std::string DegradationLabel(const Degradation& d) {
  if (d.kind == DegradationKind::kNone) return "none";
  char text[64];
  std::snprintf(text, sizeof(text), "%s %g %s", DegradationKindName(d.kind), d.level,
                DegradationUnit(d.kind));
  return text;
}

cv::Mat Degrade(const cv::Mat& bgr, const Degradation& d, uint64_t seed) {
  CV_Assert(bgr.type() == CV_8UC3);
  cv::Mat out;
  switch (d.kind) {
    case DegradationKind::kNone: return bgr.clone();
    case DegradationKind::kGaussianBlur:
      cv::GaussianBlur(bgr, out, {0, 0}, d.level, d.level, cv::BORDER_REFLECT_101);
      return out;
    case DegradationKind::kDefocusBlur:
      cv::filter2D(bgr, out, -1, DefocusKernel(d.level), {-1, -1}, 0, cv::BORDER_REFLECT_101);
      return out;
    case DegradationKind::kSensorNoise: {
      cv::Mat noise(bgr.size(), CV_32FC3);
      std::mt19937_64 rng(seed);
      std::normal_distribution<float> normal(0.0f, static_cast<float>(d.level));
      for (auto it = noise.begin<cv::Vec3f>(); it != noise.end<cv::Vec3f>(); ++it) {
        *it = {normal(rng), normal(rng), normal(rng)};
      }
      cv::Mat sum;
      bgr.convertTo(sum, CV_32FC3);
      sum += noise;
      sum.convertTo(out, CV_8UC3);  // rounds and saturates
      return out;
    }
    case DegradationKind::kJpeg: {
      std::vector<uint8_t> bytes;
      cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, static_cast<int>(d.level)});
      return cv::imdecode(bytes, cv::IMREAD_COLOR);
    }
    case DegradationKind::kBrightness: bgr.convertTo(out, CV_8UC3, d.level, 0.0); return out;
    case DegradationKind::kStainShift:
      Deconvolve(bgr, {1.0 + d.level, 1.0 - d.level, 1.0}, nullptr, &out);
      return out;
  }
  return bgr.clone();
}

cv::Mat StainConcentrations(const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3);
  cv::Mat concentrations;
  Deconvolve(bgr, {1, 1, 1}, &concentrations, nullptr);
  return concentrations;
}

std::vector<Degradation> StandardDegradationLadder() {
  std::vector<Degradation> ladder;
  auto add = [&](DegradationKind kind, std::initializer_list<double> levels) {
    for (double level : levels)
      ladder.push_back({kind, level});
  };
  add(DegradationKind::kGaussianBlur, {1, 2, 3, 4, 6, 8});
  add(DegradationKind::kDefocusBlur, {2, 4, 6, 8, 12});
  add(DegradationKind::kSensorNoise, {5, 10, 20, 40});
  add(DegradationKind::kJpeg, {50, 25, 10, 5});
  add(DegradationKind::kBrightness, {0.5, 0.7, 1.3, 1.6});
  add(DegradationKind::kStainShift, {-0.5, -0.25, 0.25, 0.5});
  return ladder;
}

}  // namespace vigil::image
