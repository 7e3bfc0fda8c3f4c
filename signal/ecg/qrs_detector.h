// QrsDetector: a sample-by-sample QRS detector in the Pan-Tompkins family, in integer arithmetic.
//
// Contract
//  - Freestanding: no heap, no exceptions, constant work per sample; about 1.5 KB of state.
//  - Push() takes raw ADC samples at 360 Hz and reports each QRS as the sample number of its R
//    peak. A QRS is reported at most kMaxDecisionDelay samples after its R peak, except one found
//    by search-back, which is reported when the rhythm shows it was missed (at most 1.66 RR later).
//  - Steps: low-pass (two 8-sample moving sums) -> 6-sample difference -> square -> 150 ms moving
//    integration -> local maxima held for 200 ms -> adaptive signal/noise thresholds, T-wave
//    discrimination by slope, search-back at half threshold when an RR interval runs long.
//
//   QrsDetector detector;
//   int64_t r[QrsDetector::kMaxPerSample];
//   for (int32_t x : samples) for (int i = 0, n = detector.Push(x, r); i < n; ++i) beat(r[i]);
#pragma once

#include <cstdint>

namespace vigil::ecg {

class QrsDetector {
 public:
  static constexpr int kMaxPerSample = 2;
  static constexpr int kMaxDecisionDelay = 190;  // samples after the R peak (about 0.53 s)

  // Pushes one sample; writes the R sample numbers of the QRS complexes confirmed now into r
  // (at most kMaxPerSample, in time order) and returns how many.
  int Push(int32_t x, int64_t* r);
  void Reset() { *this = QrsDetector(); }

  // Present thresholds, for tests and the monitor's diagnostics.
  int64_t signal_level() const { return spki_; }
  int64_t noise_level() const { return npki_; }

 private:
  struct Peak {
    int64_t time = -1;    // sample number of the integrated signal's maximum
    int64_t height = 0;   // integrated energy
    int32_t slope = 0;    // max |difference| in the 150 ms before it
    int64_t r = -1;       // R peak found in the low-passed signal before it
    bool t_wave = false;  // rejected as a T wave (never taken by search-back)
  };
  static constexpr int kRing = 128;        // power of 2, > integration window + R search span
  static constexpr int kIntegration = 54;  // 150 ms

  void Filter(int32_t x);
  int OnPeak(const Peak& p, int64_t* r, int n);
  int Accept(const Peak& p, bool searchback, int64_t* r, int n);
  void Noise(const Peak& p);
  int SearchBack(int64_t* r, int n);
  void FindPeaks(int64_t* r, int& n);
  int64_t LocateR() const;
  int32_t MaxSlope() const;
  int64_t Threshold() const;
  int32_t MissedInterval() const;

  int64_t now_ = -1;
  // Filter state.
  int32_t raw_[8] = {}, lp1_[8] = {}, lp2_hist_[8] = {};
  int32_t lp1_sum_ = 0, lp2_sum_ = 0;
  int64_t energy_[kIntegration] = {};
  int64_t mwi_ = 0, mwi_prev_ = 0, mwi_prev2_ = 0;
  int32_t lp_ring_[kRing] = {}, slope_ring_[kRing] = {};
  // Peak finding.
  Peak candidate_;
  Peak backup_;  // the largest sub-threshold peak since the last QRS (search-back)
  // Thresholds and rhythm.
  int64_t spki_ = 0, npki_ = 0;
  int64_t learn_max_ = 0;
  bool learned_ = false;
  Peak learning_peaks_[8];
  int learning_count_ = 0;
  int64_t last_qrs_ = -1;
  int32_t last_slope_ = 0;
  int64_t last_height_ = 0;
  int32_t rr_[8] = {};
  int rr_count_ = 0;
  int64_t last_r_ = -1;
  int64_t silent_since_ = 0;  // last QRS, or the last time search-back lowered the thresholds
};

}  // namespace vigil::ecg
