// Runs the whole ECG chain over a recorded signal: BeatStream (filter, detector, features) and the
// beat classifier on the runtime, sample by sample as the device would, and times it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "apps/ecg_evaluation/ec57/ec57_comparator.h"
#include "apps/ecg_monitor/beat_classifier.h"
#include "signal/ecg/beat_stream.h"

namespace vigil::ecg {

// Pushes the samples through a BeatStream sample by sample, then finishes it, and calls
// on_beat(const BeatFeatures&) for each beat as the stream gives it out.
template <typename OnBeat>
void StreamBeats(std::span<const int32_t> samples, double gain, OnBeat&& on_beat) {
  auto stream = std::make_unique<BeatStream>(gain);  // ~18 KB: keep it off the stack
  BeatFeatures beat;
  for (int32_t x : samples) {
    stream->Push(x);
    while (stream->Pop(&beat))
      on_beat(beat);
  }
  stream->Finish();
  while (stream->Pop(&beat))
    on_beat(beat);
}

struct AnalysedBeat {
  int64_t r = 0;                    // R peak, sample number
  AamiClass label = AamiClass::kQ;  // Q: no window to classify (stream start) or no classifier
  float probability = 0;            // of the chosen class
  int64_t decision_delay = 0;       // samples from R to the moment the beat came out of the stream
  double invoke_us = 0;             // classifier time for this beat
  float rr = 0;                     // pre-RR interval, seconds
};

struct RecordAnalysis {
  std::vector<AnalysedBeat> beats;
  int64_t samples = 0;
  double seconds = 0;  // wall time of the whole analysis, one core
};

// classifier == nullptr: detection only, every beat labelled N (scores QRS detection alone).
RecordAnalysis AnalyseSignal(std::span<const int32_t> samples, double gain,
                             BeatClassifier* classifier);

std::vector<TestBeat> ToTestBeats(const RecordAnalysis& analysis);

}  // namespace vigil::ecg
