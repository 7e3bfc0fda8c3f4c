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

TEST(BeatClassifier, BuiltInModelCarriesTheVentricularGateChosenOnDs1) {
  // models/ecg/cv_table.json: the gate threshold cross-validation chose, written into the ONNX
  // metadata by train.py and copied into the .vgl by vigil compile.
  EXPECT_FLOAT_EQ(BeatClassifier().ventricular_gate(), 0.05f);
}

TEST(BeatClassifier, ABeatWhoseQrsMatchesTheTemplateIsNeverVentricular) {
  SyntheticEcgOptions o;
  o.seconds = 120;
  o.episodes = false;
  const SyntheticEcg ecg = GenerateSyntheticEcg(o);
  BeatStream stream(ecg.gain);
  BeatClassifier classifier;
  BeatFeatures beat;
  int ventricular = 0;
  auto check = [&](const BeatFeatures& b) {
    float p[kClassifierClasses];
    if (!b.has_window || classifier.Classify(b, p) != AamiClass::kV) return;
    ++ventricular;
    ASSERT_GE(b.qrs_difference, classifier.ventricular_gate());
    // The same beat, as if its QRS were the patient's usual one: its next most probable class.
    BeatFeatures usual = b;
    usual.qrs_difference = 0;
    int next = -1;
    for (int i = 0; i < kClassifierClasses; ++i) {
      if (i != static_cast<int>(AamiClass::kV) && (next < 0 || p[i] > p[next])) next = i;
    }
    EXPECT_EQ(classifier.Classify(usual), static_cast<AamiClass>(next));
    usual.qrs_difference = classifier.ventricular_gate();  // at the threshold, V again
    EXPECT_EQ(classifier.Classify(usual), AamiClass::kV);
  };
  for (int32_t x : ecg.samples) {
    stream.Push(x);
    while (stream.Pop(&beat)) check(beat);
  }
  stream.Finish();
  while (stream.Pop(&beat)) check(beat);
  EXPECT_GE(ventricular, 5);  // the generator's PVCs
}

}  // namespace
}  // namespace vigil::ecg
