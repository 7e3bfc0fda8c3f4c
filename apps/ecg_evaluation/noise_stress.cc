#include "apps/ecg_evaluation/noise_stress.h"

#include <algorithm>
#include <cmath>

#include "apps/ecg_evaluation/ec57/ec57_comparator.h"
#include "host/error.h"

namespace vigil::ecg {
namespace {

constexpr int64_t kFs = 360;
constexpr int64_t kNoiseStart = 5 * 60 * kFs;
constexpr int64_t kSegment = 2 * 60 * kFs;

double TrimmedMean(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t cut = v.size() / 20;
  double sum = 0;
  for (size_t i = cut; i < v.size() - cut; ++i)
    sum += v[i];
  return sum / static_cast<double>(v.size() - 2 * cut);
}

}  // namespace

double NormalQrsAmplitude(std::span<const int32_t> ecg, std::span<const WfdbAnnotation> reference) {
  constexpr int64_t kHalf = kFs / 10;
  std::vector<double> amplitudes;
  for (const WfdbAnnotation& a : reference) {
    if (!IsQrsCode(a.code) || AamiClassOfCode(a.code) != AamiClass::kN || a.time < kHalf ||
        a.time + kHalf >= static_cast<int64_t>(ecg.size())) {
      continue;
    }
    auto window = ecg.subspan(static_cast<size_t>(a.time - kHalf), 2 * kHalf + 1);
    auto [lo, hi] = std::minmax_element(window.begin(), window.end());
    amplitudes.push_back(*hi - *lo);
  }
  if (amplitudes.empty()) throw HostError("no normal beats to measure the QRS amplitude on");
  return TrimmedMean(std::move(amplitudes));
}

double RmsAmplitude(std::span<const int32_t> noise) {
  std::vector<double> rms;
  for (size_t start = 0; start + kFs <= noise.size(); start += kFs) {
    double mean = 0, sq = 0;
    for (size_t i = start; i < start + kFs; ++i)
      mean += noise[i];
    mean /= kFs;
    for (size_t i = start; i < start + kFs; ++i)
      sq += (noise[i] - mean) * (noise[i] - mean);
    rms.push_back(std::sqrt(sq / kFs));
  }
  const double value = TrimmedMean(std::move(rms));
  if (!(value > 0))
    throw HostError("the noise signal has no amplitude (shorter than 1 s, or flat)");
  return value;
}

double NoiseGain(double snr_db, double qrs_amplitude, double noise_rms) {
  return std::pow(10.0, -snr_db / 20.0) * std::sqrt(2.0) / 4.0 * qrs_amplitude / noise_rms;
}

std::vector<int32_t> AddNoise(std::span<const int32_t> ecg, std::span<const int32_t> noise,
                              double gain) {
  if (noise.empty()) throw HostError("empty noise signal");
  std::vector<int32_t> out(ecg.size());
  double g = 0, offset = 0, previous_out = 0;
  for (size_t i = 0; i < ecg.size(); ++i) {
    const int64_t t = static_cast<int64_t>(i);
    const double want = t >= kNoiseStart && ((t - kNoiseStart) / kSegment) % 2 == 0 ? gain : 0.0;
    const double v = ecg[i] + want * noise[i % noise.size()];
    if (want != g && i > 0) offset = v - previous_out;  // continue from the last output value
    g = want;
    previous_out = v - offset;
    out[i] = static_cast<int32_t>(std::lround(previous_out));
  }
  return out;
}

}  // namespace vigil::ecg
