#include "signal/ecg/beat_stream.h"

namespace vigil::ecg {
namespace {

constexpr float kTemplateRate = 0.0625f;
constexpr float kTemplateGate = 0.92f;
constexpr float kTemplateMinAmplitude = 0.1f;
constexpr double kQrsMinTemplateEnergy = 1e-12;

// Sums in double, left to right: models/ecg/ecg_data.py's qrs_difference adds in the same order.
float QrsDifference(const float window[kWindowValues], const float templ[kWindowValues]) {
  double difference = 0, energy = 0;
  for (int k = kQrsFirst; k < kQrsEnd; ++k) {
    const double d = static_cast<double>(window[k]) - static_cast<double>(templ[k]);
    difference += d * d;
    energy += static_cast<double>(templ[k]) * static_cast<double>(templ[k]);
  }
  return static_cast<float>(difference / (energy > kQrsMinTemplateEnergy ? energy : kQrsMinTemplateEnergy));
}

}  // namespace

void BeatAssembler::AddFiltered(int32_t z) {
  history_[filtered_ % kHistorySamples] = z;
  ++filtered_;
}

void BeatAssembler::AddBeat(int64_t r) {
  if (r <= last_r()) return;  // two detections located on the same R
  if (pending_count_ == kPending) Release(-1, true);  // 8 beats waiting: not a human heart rate
  pending_[pending_count_++] = r;
}

bool BeatAssembler::Window(int64_t r, float window[kWindowValues]) const {
  const int64_t first = r - kWindowBefore;
  const int64_t last = first + kWindowSpan - 1;
  if (first < 0 || last >= filtered_ || first < filtered_ - kHistorySamples) return false;
  const double scale = 2.0 * kBaselineScale * gain_;
  for (int k = 0; k < kWindowValues; ++k) {
    const int64_t a = first + 2 * k;
    const int64_t pair = static_cast<int64_t>(history_[a % kHistorySamples]) + history_[(a + 1) % kHistorySamples];
    window[k] = static_cast<float>(static_cast<double>(pair) / scale);
  }
  return true;
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
  b.has_window = Window(r, window);
  if (!b.has_window) return;
  if (!have_template_) {
    for (int k = 0; k < kWindowValues; ++k) template_[k] = window[k];
    have_template_ = true;
  }
  float amplitude = kTemplateMinAmplitude;
  for (float v : template_) {
    const float magnitude = v < 0 ? -v : v;
    if (magnitude > amplitude) amplitude = magnitude;
  }
  for (int k = 0; k < kWindowValues; ++k) {
    b.beat[0][k] = window[k] / amplitude;
    b.beat[1][k] = (window[k] - template_[k]) / amplitude;
  }
  b.qrs_difference = QrsDifference(window, template_);
  // Premature beats (pre-RR < 92 % of the patient's average) do not update the template.
  if (b.rr[4] >= kTemplateGate) {
    for (int k = 0; k < kWindowValues; ++k) template_[k] = template_[k] + (window[k] - template_[k]) * kTemplateRate;
  }
}

// Emits pending beats whose successor is known and whose window is filtered, oldest first.
void BeatAssembler::Release(int64_t now, bool finishing) {
  while (pending_count_ > 0) {
    const int64_t r = pending_[0];
    const bool successor = pending_count_ > 1;
    const bool window_done = filtered_ > r + kWindowAfter || finishing;
    const bool waited_out = now - r > kRrClampSamples + QrsDetector::kMaxDecisionDelay;
    if (!window_done || !(successor || waited_out || finishing)) return;
    Emit(now, last_emitted_r_, r, successor ? pending_[1] : -1);
    last_emitted_r_ = r;
    for (int i = 1; i < pending_count_; ++i) pending_[i - 1] = pending_[i];
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
  for (int i = 0; i < n; ++i) assembler_.AddBeat(found[i]);
  assembler_.Release(now_, false);
}

void BeatStream::Finish() {
  int32_t z = 0;
  while (filter_.Drain(&z)) assembler_.AddFiltered(z);
  assembler_.Release(now_, true);
}

}  // namespace vigil::ecg
