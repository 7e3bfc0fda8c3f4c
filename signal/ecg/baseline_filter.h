// BaselineFilter: streaming baseline-wander removal in exact integer arithmetic.
//
// Contract
//  - Freestanding: no heap, no exceptions, constant work per sample (two ring-buffer updates).
//  - Output z[n] = x[n] * 15841 - S217(S73(x))[n], where Sk is a centred moving sum of k samples and
//    the record's first and last samples are repeated past its ends. z / (15841 * gain) is the
//    baseline-free signal in physical units. Exactly what models/ecg/ecg_data.py computes.
//  - Delay: z[n] comes out when x[n + 144] goes in; Drain() empties the pipeline at the end.
//
//   BaselineFilter f;
//   int32_t z;
//   for (int32_t x : samples) if (f.Push(x, &z)) use(z);
//   while (f.Drain(&z)) use(z);
#pragma once

#include <cstdint>

#include "signal/ecg/ecg_signal_config.h"

namespace vigil::ecg {

// Centred moving sum over Taps (odd) values, with the first value repeated Taps/2 times before it.
// Carries a second value per slot so the caller can read the value at the window's centre.
template <int Taps>
class CentredMovingSum {
  static_assert(Taps % 2 == 1, "a centred window has an odd length");

 public:
  static constexpr int kHalf = Taps / 2;

  // Returns true when a sum is ready; *centre is the carried value at the window's centre.
  bool Push(int32_t value, int32_t carried, int32_t* sum, int32_t* centre) {
    if (count_ == 0) {
      for (int i = 0; i < kHalf; ++i)
        Insert(value, carried);
    }
    Insert(value, carried);
    if (count_ < Taps) return false;
    *sum = sum_;
    *centre = carried_[(head_ + kHalf) % Taps];  // head_ is the oldest slot
    return true;
  }
  int32_t last_value() const { return values_[LastSlot()]; }
  int32_t last_carried() const { return carried_[LastSlot()]; }
  bool empty() const { return count_ == 0; }
  void Reset() { count_ = head_ = sum_ = 0; }

 private:
  int LastSlot() const { return count_ < Taps ? count_ - 1 : (head_ + Taps - 1) % Taps; }
  void Insert(int32_t value, int32_t carried) {
    if (count_ == Taps) {
      sum_ -= values_[head_];
      values_[head_] = value;
      carried_[head_] = carried;
      head_ = (head_ + 1) % Taps;
    } else {
      values_[count_] = value;
      carried_[count_] = carried;
      ++count_;
    }
    sum_ += value;
  }
  int32_t values_[Taps] = {};
  int32_t carried_[Taps] = {};
  int count_ = 0, head_ = 0;
  int32_t sum_ = 0;
};

class BaselineFilter {
 public:
  // Pushes one ADC sample; returns true and sets *z when a filtered sample is ready.
  bool Push(int32_t x, int32_t* z);
  // After the last sample: returns the remaining filtered samples one by one (false when done).
  bool Drain(int32_t* z);
  void Reset();

 private:
  bool Stage2(int32_t s1, int32_t x, int32_t* z);
  CentredMovingSum<kBaselineShortTaps> short_;
  CentredMovingSum<kBaselineLongTaps> long_;
  int drained_short_ = 0, drained_long_ = 0;
};

}  // namespace vigil::ecg
