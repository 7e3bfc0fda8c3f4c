#include "signal/ecg/qrs_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "apps/ecg_evaluation/ec57/ec57_comparator.h"
#include "apps/ecg_evaluation/mitdb.h"
#include "apps/ecg_evaluation/synthetic_ecg.h"

namespace vigil::ecg {
namespace {

struct Detection {
  int64_t r, reported_at;
};

std::vector<Detection> Detect(const std::vector<int32_t>& samples) {
  QrsDetector detector;
  std::vector<Detection> out;
  int64_t r[QrsDetector::kMaxPerSample];
  for (size_t i = 0; i < samples.size(); ++i) {
    const int n = detector.Push(samples[i], r);
    for (int k = 0; k < n; ++k)
      out.push_back({r[k], static_cast<int64_t>(i)});
  }
  return out;
}

TEST(QrsDetector, FindsEverySyntheticBeatOnceWithinTheMatchWindowAndTheDelayBound) {
  SyntheticEcgOptions options;
  options.seconds = 120;
  options.episodes = false;
  const SyntheticEcg ecg = GenerateSyntheticEcg(options);
  const std::vector<Detection> found = Detect(ecg.samples);
  size_t j = 0, matched = 0;
  for (const TestBeat& truth : ecg.truth) {
    const int64_t end = static_cast<int64_t>(ecg.samples.size()) - 360;
    if (truth.time < 3 * 360 || truth.time > end) continue;  // learning period, end of signal
    while (j < found.size() && found[j].r < truth.time - 54)
      ++j;
    ASSERT_LT(j, found.size()) << "beat at " << truth.time << " missed";
    EXPECT_LE(std::llabs(found[j].r - truth.time), 20) << "beat at " << truth.time;
    EXPECT_LE(found[j].reported_at - found[j].r, QrsDetector::kMaxDecisionDelay);
    ++matched;
  }
  EXPECT_GT(matched, 130u);
  // No extra detections: as many as the truth has in the same span, give or take the ends.
  EXPECT_NEAR(static_cast<double>(found.size()), static_cast<double>(ecg.truth.size()), 4);
}

TEST(QrsDetector, ReportsNothingOnAFlatLineOrSmallNoise) {
  std::vector<int32_t> flat(20 * 360, 1024);
  EXPECT_TRUE(Detect(flat).empty());
  std::vector<int32_t> noise(20 * 360);
  for (size_t i = 0; i < noise.size(); ++i)
    noise[i] = static_cast<int32_t>((i * 7919) % 5) - 2;
  EXPECT_TRUE(Detect(noise).empty());
}

TEST(QrsDetector, SearchBackFindsABeatSmallerThanTheThreshold) {
  // Regular beats, then one beat at half the amplitude (a quarter of the energy): the threshold (a
  // quarter of the way from noise to signal level) misses it, search-back at 1.66 RR finds it.
  SyntheticEcgOptions options;
  options.seconds = 40;
  options.episodes = false;
  options.pvc_every_beats = options.pac_every_beats = 0;
  SyntheticEcg ecg = GenerateSyntheticEcg(options);
  const int64_t small = ecg.truth[30].time;
  // Halve the beat about the straight line joining the ends of its 80-sample span (no steps).
  const double left = ecg.samples[static_cast<size_t>(small - 40)],
               right = ecg.samples[static_cast<size_t>(small + 40)];
  for (int64_t i = small - 40; i <= small + 40; ++i) {
    const double base = left + (right - left) * static_cast<double>(i - small + 40) / 80.0;
    int32_t& x = ecg.samples[static_cast<size_t>(i)];
    x = static_cast<int32_t>(std::lround(base + (x - base) / 2));
  }
  bool found = false;
  for (const Detection& d : Detect(ecg.samples))
    found |= std::llabs(d.r - small) < 20;
  EXPECT_TRUE(found) << [&] {
    std::string near;
    for (const Detection& d : Detect(ecg.samples)) {
      if (std::llabs(d.r - small) < 800)
        near += std::to_string(d.r - small) + "@" + std::to_string(d.reported_at - small) + " ";
    }
    return "detections around the small beat (R offset@reported): " + near;
  }();
}

TEST(QrsDetector, Ds1Record101MeetsTheQrsFloor) {
  const char* data = std::getenv("VIGIL_DATA_DIR");
  const std::string dir = std::string(data ? data : "../shared/data") + "/mitdb";
  if (!std::filesystem::exists(dir + "/101.dat"))
    GTEST_SKIP() << "MIT-BIH Arrhythmia Database (mitdb) not found in " << dir;
  const EcgRecording rec = LoadRecording(dir, "101");
  std::vector<TestBeat> test;
  for (const Detection& d : Detect(rec.samples))
    test.push_back({d.r, AamiClass::kN});
  Ec57Options options;
  options.end_sample = static_cast<int64_t>(rec.samples.size());
  const Ec57Stats s = ComputeStats(CompareBeats(rec.reference, test, options));
  EXPECT_GE(*s.qrs_se, 99.7);
  EXPECT_GE(*s.qrs_ppv, 99.7);
}

}  // namespace
}  // namespace vigil::ecg
