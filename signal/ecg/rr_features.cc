#include "signal/ecg/rr_features.h"

namespace vigil::ecg {
namespace {

double Interval(int64_t from, int64_t to) {
  int64_t d = to - from;
  if (d > kRrClampSamples) d = kRrClampSamples;
  return static_cast<double>(d) / kSampleRateHz;
}

}  // namespace

void RrFeatures::Next(int64_t previous_r, int64_t r, int64_t next_r, float out[kRrFeatures]) {
  double post =
      next_r >= 0 ? Interval(r, next_r) : (previous_r >= 0 ? Interval(previous_r, r) : 1.0);
  const double pre = previous_r >= 0 ? Interval(previous_r, r) : post;
  pre_[count_ % kAverageBeats] = pre;
  ++count_;
  // Sums run from the oldest interval to the newest, as Python's sum() over a list slice does.
  auto mean_of_last = [&](int n) {
    if (n > count_) n = count_;
    double sum = 0;
    for (int k = count_ - n; k < count_; ++k)
      sum += pre_[k % kAverageBeats];
    return sum / n;
  };
  const double local = mean_of_last(kLocalBeats);
  const double average = mean_of_last(kAverageBeats);
  // Irregularity: mean |successive difference| of up to 8 intervals before this beat's own.
  int first = count_ - 1 - kLocalBeats;
  if (first < 0) first = 0;
  double diff_sum = 0;
  int diffs = 0;
  for (int k = first + 1; k < count_ - 1; ++k) {
    const double d = pre_[k % kAverageBeats] - pre_[(k - 1) % kAverageBeats];
    diff_sum += d < 0 ? -d : d;
    ++diffs;
  }
  const double irregularity = diffs > 0 ? diff_sum / diffs : 0.0;
  const double values[kRrFeatures] = {pre,
                                      post,
                                      local,
                                      average,
                                      pre / average,
                                      post / average,
                                      local / average,
                                      post / pre,
                                      irregularity / average};
  for (int i = 0; i < kRrFeatures; ++i)
    out[i] = static_cast<float>(values[i]);
}

}  // namespace vigil::ecg
