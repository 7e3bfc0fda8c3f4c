// RrFeatures: the rhythm half of the classifier's input, beat by beat.
//
// Contract
//  - Freestanding: no heap, no exceptions; 128 RR intervals of history (1 KB as doubles).
//  - Call Next() once per beat, in time order, when the beat's successor is known (or known to be
//    more than 3 s away). Output, as float: pre, post, local, average, pre/average, post/average,
//    local/average, post/pre, irregularity/average (ecg_signal_config.h has the definitions).
//  - Matches models/ecg/ecg_data.py rr_features() bit for bit (same sums in the same order).
#pragma once

#include <cstdint>

#include "signal/ecg/ecg_signal_config.h"

namespace vigil::ecg {

class RrFeatures {
 public:
  // previous_r / next_r: R sample numbers of the neighbouring beats, or -1 when there is none.
  void Next(int64_t previous_r, int64_t r, int64_t next_r, float out[kRrFeatures]);
  void Reset() { *this = RrFeatures(); }

 private:
  double pre_[kAverageBeats] = {};  // ring of pre-RR intervals, seconds
  int count_ = 0;                   // intervals pushed so far
};

}  // namespace vigil::ecg
