#include "apps/ecg_evaluation/record_analysis.h"

#include <chrono>

namespace vigil::ecg {
namespace {

using Clock = std::chrono::steady_clock;

double MicrosecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

void Classify(const BeatFeatures& beat, BeatClassifier* classifier, RecordAnalysis& out) {
  AnalysedBeat a;
  a.r = beat.r;
  a.decision_delay = beat.emitted_at - beat.r;
  a.rr = beat.rr[0];
  if (!classifier) {
    a.label = AamiClass::kN;
  } else if (beat.has_window) {
    float p[kClassifierClasses];
    const Clock::time_point start = Clock::now();
    a.label = classifier->Classify(beat, p);
    a.invoke_us = MicrosecondsSince(start);
    a.probability = p[static_cast<int>(a.label)];
  }
  out.beats.push_back(a);
}

}  // namespace

RecordAnalysis AnalyseSignal(std::span<const int32_t> samples, double gain,
                             BeatClassifier* classifier) {
  RecordAnalysis out;
  const Clock::time_point start = Clock::now();
  StreamBeats(samples, gain, [&](const BeatFeatures& beat) { Classify(beat, classifier, out); });
  out.samples = static_cast<int64_t>(samples.size());
  out.seconds = MicrosecondsSince(start) * 1e-6;
  return out;
}

std::vector<TestBeat> ToTestBeats(const RecordAnalysis& analysis) {
  std::vector<TestBeat> out;
  out.reserve(analysis.beats.size());
  for (const AnalysedBeat& b : analysis.beats)
    out.push_back({b.r, b.label});
  return out;
}

}  // namespace vigil::ecg
