// BeatStream: the whole streaming front end of the ECG monitor, from ADC samples to classifier
// inputs. Raw samples go in; beats come out with their R time, RR features and beat window.
//
// Contract
//  - Freestanding: no heap, no exceptions; about 18 KB of state (8 KB history ring, template, detector,
//    filter); the work per sample is constant, plus O(window) once per beat.
//  - Each detected beat comes out exactly once, in time order, when its successor has been found (or
//    3 s + the detector's decision delay have passed) and its window has been filtered.
//  - The classifier is trained on what this code computes (`vigil ecg features` exports it), and
//    models/ecg/ecg_data.py, an independent twin, computes the same numbers bit for bit (golden test):
//    the window is taken where the beat's QRS part correlates best with the template (alignment),
//    beat[0][k] = window / a, beat[1][k] = (window - template) / a, rr[] from RrFeatures, and the QRS
//    comparison (correlation, difference energy, amplitude ratio) over values kQrsFirst..kQrsEnd-1.
//    A beat whose window is not available (the first 256 ms of a stream, or a search-back find
//    older than the history) comes out with has_window = false and is not classified.
//
//   BeatStream stream(gain);                      // gain: ADC units per mV
//   for (int32_t x : samples) {
//     stream.Push(x);
//     BeatFeatures beat;
//     while (stream.Pop(&beat)) classify(beat);
//   }
//   stream.Finish();  // then Pop() the last beats
#pragma once

#include <cstdint>

#include "signal/ecg/baseline_filter.h"
#include "signal/ecg/ecg_signal_config.h"
#include "signal/ecg/qrs_detector.h"
#include "signal/ecg/rr_features.h"

namespace vigil::ecg {

struct BeatFeatures {
  int64_t r = 0;           // R peak, sample number
  int64_t emitted_at = 0;  // sample number at which the beat came out (decision delay = this - r)
  bool has_window = false;
  float beat[2][kWindowValues] = {};
  float rr[kRrFeatures] = {};
  // The window was taken `alignment` samples from r (|alignment| <= kAlignSamples), where the beat's
  // QRS part correlates best with the template's: qrs_correlation, the Pearson correlation there.
  // Near 1 for the patient's usual beats whatever their shape (an LBBB patient's wide normal QRS
  // included) and whatever their amplitude; the classifier's gates read it.
  int32_t alignment = 0;
  float qrs_correlation = 0;
  // Over the same QRS part: sum (window - template)^2 / sum template^2, and the beat's RMS amplitude
  // relative to the template's, sqrt(sum window^2 / sum template^2).
  float qrs_difference = 0;
  float qrs_amplitude_ratio = 0;
};

// The classifier's context input: rr[0..8], qrs_correlation, then qrs_difference and
// qrs_amplitude_ratio capped at kQrsComparisonCap.
void ClassifierContext(const BeatFeatures& beat, float context[kContextFeatures]);

// BeatAssembler: the part of BeatStream after detection. Takes the filtered signal and the R times
// (in order, each at most kHistorySamples old) and makes each beat's features.
class BeatAssembler {
 public:
  explicit BeatAssembler(double gain) : gain_(gain) {}

  void AddFiltered(int32_t z);
  void AddBeat(int64_t r);
  // Emits the beats that are ready at sample `now` (all of them when finishing).
  void Release(int64_t now, bool finishing);
  bool Pop(BeatFeatures* out);
  int64_t last_r() const {
    return pending_count_ > 0 ? pending_[pending_count_ - 1] : last_emitted_r_;
  }

 private:
  static constexpr int kPending = 8;
  static constexpr int kReady = 4;
  void Emit(int64_t now, int64_t previous_r, int64_t r, int64_t next_r);
  // Values from..to-1 of the beat window around r; false when the window is not (or no longer) in
  // the history.
  bool WindowValues(int64_t r, int from, int to, float* values) const;
  int Align(int64_t r, float* correlation) const;

  double gain_;
  int64_t filtered_ = 0;  // filtered samples stored so far (z index of the next)
  int32_t history_[kHistorySamples] = {};
  RrFeatures rr_;
  int64_t pending_[kPending] = {};  // R times not yet emitted
  int pending_count_ = 0;
  int64_t last_emitted_r_ = -1;
  bool have_template_ = false;
  float template_[kWindowValues] = {};
  BeatFeatures ready_[kReady];
  int ready_head_ = 0, ready_count_ = 0;
};

class BeatStream {
 public:
  explicit BeatStream(double gain = 200.0) : assembler_(gain) {}

  void Push(int32_t x);
  // End of the signal: drains the filter and releases the beats still waiting for a successor.
  void Finish();
  bool Pop(BeatFeatures* out) { return assembler_.Pop(out); }
  int64_t samples_seen() const { return now_ + 1; }
  // The latest R the detector found (classified or still waiting), -1 before the first.
  int64_t last_detected_r() const { return assembler_.last_r(); }
  const QrsDetector& detector() const { return detector_; }

 private:
  int64_t now_ = -1;
  BaselineFilter filter_;
  QrsDetector detector_;
  BeatAssembler assembler_;
};

}  // namespace vigil::ecg
