#include "apps/ecg_evaluation/synthetic_ecg.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace vigil::ecg {
namespace {

TEST(SyntheticEcg, BeatsFollowThePlannedRateAndRPeaksAreTheLocalMaxima) {
  SyntheticEcgOptions o;
  o.seconds = 60;
  o.episodes = false;
  o.pvc_every_beats = o.pac_every_beats = 0;
  o.noise_mv = 0;
  const SyntheticEcg ecg = GenerateSyntheticEcg(o);
  ASSERT_EQ(ecg.samples.size(), 60u * 360);
  EXPECT_NEAR(static_cast<double>(ecg.truth.size()), 72, 3);  // 72 bpm for a minute
  for (const TestBeat& b : ecg.truth) {
    if (b.time < 40 || b.time + 40 >= static_cast<int64_t>(ecg.samples.size())) continue;
    const auto begin = ecg.samples.begin() + b.time - 40, end = ecg.samples.begin() + b.time + 40;
    const int64_t peak = std::max_element(begin, end) - ecg.samples.begin();
    EXPECT_LE(std::llabs(peak - b.time), 6) << "R at " << b.time;
    // R amplitude near McSharry's ~1.2 mV above the isoelectric level.
    EXPECT_GT(
        ecg.samples[static_cast<size_t>(peak)] - ecg.samples[static_cast<size_t>(b.time - 30)],
        150);
  }
}

TEST(SyntheticEcg, InjectsEctopicBeatsAndEpisodesWithTheirTruth) {
  const SyntheticEcg ecg = GenerateSyntheticEcg();  // the monitor's default: 5 minutes
  int v = 0, s = 0, longest_v_run = 0, run = 0;
  int64_t longest_rr = 0;
  for (size_t i = 0; i < ecg.truth.size(); ++i) {
    v += ecg.truth[i].label == AamiClass::kV;
    s += ecg.truth[i].label == AamiClass::kS;
    run = ecg.truth[i].label == AamiClass::kV ? run + 1 : 0;
    longest_v_run = std::max(longest_v_run, run);
    if (i > 0) longest_rr = std::max(longest_rr, ecg.truth[i].time - ecg.truth[i - 1].time);
  }
  EXPECT_GE(v, 8);
  EXPECT_GE(s, 4);
  EXPECT_GE(longest_v_run, 3);       // the ventricular run
  EXPECT_GT(longest_rr, 2.5 * 360);  // the pause
  // Same seed, same signal: the main job's output is reproducible.
  EXPECT_EQ(GenerateSyntheticEcg().samples, ecg.samples);
}

}  // namespace
}  // namespace vigil::ecg
