#include "apps/ecg_monitor/beat_classifier.h"

#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "apps/ecg_evaluation/record_analysis.h"
#include "apps/ecg_evaluation/synthetic_ecg.h"
#include "host/atomic_file.h"

namespace vigil::ecg {
namespace {

TEST(BeatClassifier, BuiltInModelFitsTheCortexM4BudgetAndGivesProbabilities) {
  BeatClassifier classifier;
  EXPECT_LE(classifier.arena_bytes(), 32u * 1024);
  BeatFeatures beat;
  beat.has_window = true;
  for (float& v : beat.rr)
    v = 1.0f;
  beat.qrs_correlation = 1.0f;
  beat.qrs_amplitude_ratio = 1.0f;
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

TEST(BeatClassifier, BuiltInModelCarriesTheDecisionRuleChosenOnDs1) {
  // models/ecg/training_report.json: the gates cross-validation chose, written into the ONNX metadata
  // by train.py and copied into the .vgl by vigil compile.
  const nlohmann::json report = nlohmann::json::parse(
      ReadFileText(std::string(VIGIL_ECG_MODEL_DIR) + "/training_report.json"));
  const nlohmann::json& rule = report.at("chosen").at("rule");
  const BeatClassifier classifier;
  const DecisionRule& built_in = classifier.rule();
  EXPECT_FLOAT_EQ(built_in.ventricular_max_correlation, rule.at("v_gate").get<float>());
  EXPECT_FLOAT_EQ(built_in.supraventricular_min_correlation, rule.at("s_gate").get<float>());
}

TEST(DecisionRule, AGateTakesTheNextMostProbableClassAtItsThreshold) {
  DecisionRule rule;
  rule.ventricular_max_correlation = 0.9f;
  rule.supraventricular_min_correlation = 0.7f;
  const float ventricular[kClassifierClasses] = {0.2f, 0.1f, 0.6f, 0.1f};
  EXPECT_EQ(rule.Decide(ventricular, std::nextafter(0.9f, 0.0f)), AamiClass::kV);
  EXPECT_EQ(rule.Decide(ventricular, 0.9f), AamiClass::kN);  // the patient's usual QRS: not V
  EXPECT_EQ(rule.Decide(ventricular, 1.0f), AamiClass::kN);
  const float supraventricular[kClassifierClasses] = {0.1f, 0.5f, 0.15f, 0.25f};
  EXPECT_EQ(rule.Decide(supraventricular, 0.7f), AamiClass::kS);
  EXPECT_EQ(rule.Decide(supraventricular, std::nextafter(0.7f, 0.0f)),
            AamiClass::kF);  // unlike it: not S
  EXPECT_EQ(rule.Decide(supraventricular, -1.0f), AamiClass::kF);
  // Without gates, the most probable class.
  EXPECT_EQ(DecisionRule{}.Decide(ventricular, 1.0f), AamiClass::kV);
  EXPECT_EQ(DecisionRule{}.Decide(supraventricular, -1.0f), AamiClass::kS);
}

TEST(BeatClassifier, ClassifiesBeatsByTheModelsProbabilitiesAndDecisionRule) {
  SyntheticEcgOptions o;
  o.seconds = 180;
  o.episodes = false;
  const SyntheticEcg ecg = GenerateSyntheticEcg(o);
  BeatClassifier classifier;
  BeatStream stream(ecg.gain);
  int counts[kClassifierClasses] = {};
  auto check = [&](const BeatFeatures& b) {
    if (!b.has_window) return;
    float p[kClassifierClasses];
    const AamiClass label = classifier.Classify(b, p);
    ASSERT_EQ(label, classifier.rule().Decide(p, b.qrs_correlation));
    ++counts[static_cast<int>(label)];
  };
  BeatFeatures beat;
  for (int32_t x : ecg.samples) {
    stream.Push(x);
    while (stream.Pop(&beat))
      check(beat);
  }
  stream.Finish();
  while (stream.Pop(&beat))
    check(beat);
  EXPECT_GE(counts[static_cast<int>(AamiClass::kV)], 5);  // the generator's PVCs
}

}  // namespace
}  // namespace vigil::ecg
