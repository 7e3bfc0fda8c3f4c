#include "apps/ecg_evaluation/noise_stress.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::ecg {
namespace {

TEST(NoiseStress, GainGivesTheStatedSnrByNstsDefinition) {
  // A = 400 adu QRS peak-to-peak; noise RMS 20 adu. At 12 dB, RMS(g * noise) must be
  // A * sqrt(2) / 4 * 10^(-12/20).
  const double g = NoiseGain(12, 400, 20);
  EXPECT_NEAR(g * 20, 400 * std::sqrt(2.0) / 4 * std::pow(10, -0.6), 1e-9);
  EXPECT_NEAR(NoiseGain(0, 400, 20) / NoiseGain(6, 400, 20), std::pow(10, 0.3), 1e-12);
}

TEST(NoiseStress, RmsOfASquareWaveAndQrsAmplitudeOfSpikes) {
  std::vector<int32_t> square(3600);
  for (size_t i = 0; i < square.size(); ++i)
    square[i] = (i / 10) % 2 ? 30 : -30;
  EXPECT_NEAR(RmsAmplitude(square), 30, 1e-9);
  std::vector<int32_t> ecg(3600, 0);
  std::vector<WfdbAnnotation> ref;
  for (int k = 1; k < 9; ++k) {
    ecg[static_cast<size_t>(k * 360)] = 250;
    ecg[static_cast<size_t>(k * 360 + 5)] = -50;
    WfdbAnnotation a;
    a.time = k * 360;
    a.code = annotation_code::kNormal;
    ref.push_back(a);
  }
  EXPECT_NEAR(NormalQrsAmplitude(ecg, ref), 300, 1e-9);
}

TEST(NoiseStress, NoiseOnlyInAlternatingTwoMinuteSegmentsFromMinuteFive) {
  const size_t n = 15 * 60 * 360;
  std::vector<int32_t> ecg(n, 0), noise(1000);
  for (size_t i = 0; i < noise.size(); ++i)
    noise[i] = (i % 2) ? 10 : -10;
  const std::vector<int32_t> out = AddNoise(ecg, noise, 2.0);
  auto varies = [&](double from_min, double to_min) {
    int32_t lo = out[static_cast<size_t>(from_min * 60 * 360)], hi = lo;
    for (size_t i = static_cast<size_t>(from_min * 60 * 360);
         i < static_cast<size_t>(to_min * 60 * 360); ++i) {
      lo = std::min(lo, out[i]);
      hi = std::max(hi, out[i]);
    }
    return hi - lo;
  };
  EXPECT_EQ(varies(0, 4.99), 0);
  EXPECT_EQ(varies(5.01, 6.99), 40);  // +-20 around a continuous offset
  EXPECT_EQ(varies(7.01, 8.99), 0);
  EXPECT_EQ(varies(9.01, 10.99), 40);
}

}  // namespace
}  // namespace vigil::ecg
