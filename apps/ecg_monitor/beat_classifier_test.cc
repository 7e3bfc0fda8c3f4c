#include "apps/ecg_monitor/beat_classifier.h"

#include <gtest/gtest.h>

#include "apps/ecg_monitor/record_analysis.h"
#include "apps/ecg_monitor/synthetic_ecg.h"

namespace vigil::ecg {
namespace {

TEST(BeatClassifier, BuiltInModelFitsTheCortexM4BudgetAndGivesProbabilities) {
  BeatClassifier classifier;
  EXPECT_LE(classifier.arena_bytes(), 32u * 1024);
  BeatFeatures beat;
  beat.has_window = true;
  for (float& v : beat.rr) v = 1.0f;
  float p[kClassifierClasses];
  classifier.Classify(beat, p);
  float sum = 0;
  for (float v : p) {
    EXPECT_GE(v, 0.0f);
    sum += v;
  }
  EXPECT_NEAR(sum, 1.0f, 1e-3f);
}

TEST(BeatClassifier, SyntheticSinusBeatsAreNormalAndPvcsVentricular) {
  SyntheticEcgOptions o;
  o.seconds = 180;
  o.episodes = false;
  const SyntheticEcg ecg = GenerateSyntheticEcg(o);
  BeatClassifier classifier;
  const RecordAnalysis analysis = AnalyseSignal(ecg.samples, ecg.gain, &classifier);
  std::vector<WfdbAnnotation> truth;
  for (const TestBeat& b : ecg.truth) {
    WfdbAnnotation a;
    a.time = b.time;
    a.code = b.label == AamiClass::kV ? 5 : b.label == AamiClass::kS ? 8 : 1;
    truth.push_back(a);
  }
  Ec57Options options;
  options.start_s = 10;
  const Ec57Stats s = ComputeStats(CompareBeats(truth, ToTestBeats(analysis), options));
  EXPECT_GE(*s.qrs_se, 99.0);
  EXPECT_GE(*s.qrs_ppv, 99.0);
  EXPECT_GE(*s.veb_se, 80.0);
}

}  // namespace
}  // namespace vigil::ecg
