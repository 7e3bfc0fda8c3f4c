#include "signal/ecg/baseline_filter.h"

namespace vigil::ecg {

bool BaselineFilter::Stage2(int32_t s1, int32_t x, int32_t* z) {
  int32_t s2 = 0, centre_x = 0;
  if (!long_.Push(s1, x, &s2, &centre_x)) return false;
  *z = centre_x * kBaselineScale - s2;
  return true;
}

bool BaselineFilter::Push(int32_t x, int32_t* z) {
  int32_t s1 = 0, centre_x = 0;
  if (!short_.Push(x, x, &s1, &centre_x)) return false;
  return Stage2(s1, centre_x, z);
}

bool BaselineFilter::Drain(int32_t* z) {
  if (short_.empty()) return false;
  // First the short window's tail (the last sample repeated), then the long window's.
  while (drained_short_ < CentredMovingSum<kBaselineShortTaps>::kHalf) {
    ++drained_short_;
    int32_t s1 = 0, centre_x = 0;
    const int32_t last = short_.last_value();
    if (short_.Push(last, last, &s1, &centre_x) && Stage2(s1, centre_x, z)) return true;
  }
  while (drained_long_ < CentredMovingSum<kBaselineLongTaps>::kHalf) {
    ++drained_long_;
    if (Stage2(long_.last_value(), long_.last_carried(), z)) return true;
  }
  return false;
}

void BaselineFilter::Reset() {
  short_.Reset();
  long_.Reset();
  drained_short_ = drained_long_ = 0;
}

}  // namespace vigil::ecg
