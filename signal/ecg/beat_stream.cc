#include "signal/ecg/beat_stream.h"

#include <cmath>

namespace vigil::ecg {
namespace {

constexpr float kTemplateRate = 0.0625f;
constexpr float kTemplateGate = 0.92f;
constexpr float kTemplateMinAmplitude = 0.1f;
constexpr double kQrsMinTemplateEnergy = 1e-12;

// The beat's QRS difference energy and amplitude ratio against the template's QRS. Sums in double,
// left to right: models/ecg/ecg_data.py's qrs_comparison adds in the same order.
void CompareQrs(const float window[kWindowValues], const float templ[kWindowValues],
                BeatFeatures* b) {
  double difference = 0, beat_energy = 0, template_energy = 0;
  for (int k = kQrsFirst; k < kQrsEnd; ++k) {
    const double w = static_cast<double>(window[k]), t = static_cast<double>(templ[k]);
    difference += (w - t) * (w - t);
    beat_energy += w * w;
    template_energy += t * t;
  }
  const double energy =
      template_energy > kQrsMinTemplateEnergy ? template_energy : kQrsMinTemplateEnergy;
  b->qrs_difference = static_cast<float>(difference / energy);
  b->qrs_amplitude_ratio = static_cast<float>(std::sqrt(beat_energy / energy));
}

// Pearson correlation of two spans of n values, in double, each sum left to right (the Python twin,
// models/ecg/ecg_data.py, adds in the same order); 0 when either span is flat.
double Correlation(const float* a, const float* b, int n) {
  double sum_a = 0, sum_b = 0;
  for (int k = 0; k < n; ++k) {
    sum_a += static_cast<double>(a[k]);
    sum_b += static_cast<double>(b[k]);
  }
  const double mean_a = sum_a / n, mean_b = sum_b / n;
  double ab = 0, aa = 0, bb = 0;
  for (int k = 0; k < n; ++k) {
    const double da = static_cast<double>(a[k]) - mean_a, db = static_cast<double>(b[k]) - mean_b;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  const double norm = aa * bb;
  return norm > 0 ? ab / std::sqrt(norm) : 0.0;
}

}  // namespace

void BeatAssembler::AddFiltered(int32_t z) {
  history_[filtered_ % kHistorySamples] = z;
  ++filtered_;
}

void BeatAssembler::AddBeat(int64_t r) {
  if (r <= last_r()) return;                          // two detections located on the same R
  if (pending_count_ == kPending) Release(-1, true);  // 8 beats waiting: not a human heart rate
  pending_[pending_count_++] = r;
}

bool BeatAssembler::WindowValues(int64_t r, int from, int to, float* values) const {
  const int64_t first = r - kWindowBefore;
  const int64_t last = first + kWindowSpan - 1;
  if (first < 0 || last >= filtered_ || first < filtered_ - kHistorySamples) return false;
  const double scale = 2.0 * kBaselineScale * gain_;
  for (int k = from; k < to; ++k) {
    const int64_t a = first + 2 * k;
    const int64_t pair =
        static_cast<int64_t>(history_[a % kHistorySamples]) + history_[(a + 1) % kHistorySamples];
    values[k - from] = static_cast<float>(static_cast<double>(pair) / scale);
  }
  return true;
}

// The lag (0, -1, +1, -2, ... samples; the first best wins) at which the beat's QRS part correlates
// best with the template's, and that correlation.
int BeatAssembler::Align(int64_t r, float* correlation) const {
  constexpr int kQrsValues = kQrsEnd - kQrsFirst;
  int best_lag = 0;
  double best = -2;
  for (int i = 0; i <= 2 * kAlignSamples; ++i) {
    const int lag = (i % 2 == 0) ? i / 2 : -(i + 1) / 2;  // 0, -1, +1, -2, +2, ...
    float qrs[kQrsValues];
    if (!WindowValues(r + lag, kQrsFirst, kQrsEnd, qrs)) continue;
    const double c = Correlation(qrs, &template_[kQrsFirst], kQrsValues);
    if (c > best) best = c, best_lag = lag;
  }
  *correlation = static_cast<float>(best);
  return best_lag;
}

void BeatAssembler::Emit(int64_t now, int64_t previous_r, int64_t r, int64_t next_r) {
  if (ready_count_ == kReady) {  // the caller is not popping: drop the oldest
    ready_head_ = (ready_head_ + 1) % kReady;
    --ready_count_;
  }
  BeatFeatures& b = ready_[(ready_head_ + ready_count_) % kReady];
  ++ready_count_;
  b.r = r;
  b.emitted_at = now;
  rr_.Next(previous_r, r, next_r, b.rr);
  float window[kWindowValues];
  b.has_window = WindowValues(r, 0, kWindowValues, window);
  if (!b.has_window) return;
  if (!have_template_) {
    for (int k = 0; k < kWindowValues; ++k)
      template_[k] = window[k];
    have_template_ = true;
  }
  b.alignment = Align(r, &b.qrs_correlation);
  if (b.alignment != 0) WindowValues(r + b.alignment, 0, kWindowValues, window);
  float amplitude = kTemplateMinAmplitude;
  for (float v : template_) {
    const float magnitude = v < 0 ? -v : v;
    if (magnitude > amplitude) amplitude = magnitude;
  }
  for (int k = 0; k < kWindowValues; ++k) {
    b.beat[0][k] = window[k] / amplitude;
    b.beat[1][k] = (window[k] - template_[k]) / amplitude;
  }
  CompareQrs(window, template_, &b);
  // Premature beats (pre-RR < 92 % of the patient's average) do not update the template.
  if (b.rr[4] >= kTemplateGate) {
    for (int k = 0; k < kWindowValues; ++k)
      template_[k] = template_[k] + (window[k] - template_[k]) * kTemplateRate;
  }
}

void ClassifierContext(const BeatFeatures& beat, float context[kContextFeatures]) {
  for (int i = 0; i < kRrFeatures; ++i)
    context[i] = beat.rr[i];
  context[kRrFeatures] = beat.qrs_correlation;
  context[kRrFeatures + 1] =
      beat.qrs_difference < kQrsComparisonCap ? beat.qrs_difference : kQrsComparisonCap;
  context[kRrFeatures + 2] =
      beat.qrs_amplitude_ratio < kQrsComparisonCap ? beat.qrs_amplitude_ratio : kQrsComparisonCap;
}

// Emits pending beats whose successor is known and whose window is filtered, oldest first.
void BeatAssembler::Release(int64_t now, bool finishing) {
  while (pending_count_ > 0) {
    const int64_t r = pending_[0];
    const bool successor = pending_count_ > 1;
    const bool window_done = filtered_ > r + kWindowAfter + kAlignSamples || finishing;
    const bool waited_out = now - r > kRrClampSamples + QrsDetector::kMaxDecisionDelay;
    if (!window_done || !(successor || waited_out || finishing)) return;
    Emit(now, last_emitted_r_, r, successor ? pending_[1] : -1);
    last_emitted_r_ = r;
    for (int i = 1; i < pending_count_; ++i)
      pending_[i - 1] = pending_[i];
    --pending_count_;
  }
}

bool BeatAssembler::Pop(BeatFeatures* out) {
  if (ready_count_ == 0) return false;
  *out = ready_[ready_head_];
  ready_head_ = (ready_head_ + 1) % kReady;
  --ready_count_;
  return true;
}

void BeatStream::Push(int32_t x) {
  ++now_;
  int32_t z = 0;
  if (filter_.Push(x, &z)) assembler_.AddFiltered(z);
  int64_t found[QrsDetector::kMaxPerSample];
  const int n = detector_.Push(x, found);
  for (int i = 0; i < n; ++i)
    assembler_.AddBeat(found[i]);
  assembler_.Release(now_, false);
}

void BeatStream::Finish() {
  int32_t z = 0;
  while (filter_.Drain(&z))
    assembler_.AddFiltered(z);
  assembler_.Release(now_, true);
}

}  // namespace vigil::ecg
