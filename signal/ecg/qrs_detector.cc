#include "signal/ecg/qrs_detector.h"

namespace vigil::ecg {
namespace {

constexpr int kRefractory = 72;    // 200 ms: no second QRS, and how long a peak is held
constexpr int kTWaveWindow = 130;  // 360 ms: a peak this close to a QRS may be its T wave
constexpr int kLearning = 720;     // 2 s of signal set the first thresholds
constexpr int kLowPassDelay = 7;   // two 8-sample moving sums
constexpr int kFilterDelay = 10;   // low-pass + half the 6-sample difference
constexpr int kRSearch = 60;       // samples of low-passed signal searched for R before a peak
constexpr int kDefaultRr = 360;    // assumed RR until 8 intervals are known (1 s)
// Integrated energy of a QRS of about 0.1 mV: peaks below it are never beats (a flat or quiet line).
constexpr int64_t kMinPeak = 20000;

int32_t Abs(int32_t v) {
  return v < 0 ? -v : v;
}
int64_t Abs64(int64_t v) {
  return v < 0 ? -v : v;
}

}  // namespace

void QrsDetector::Filter(int32_t x) {
  ++now_;
  const int i8 = static_cast<int>(now_ & 7);
  lp1_sum_ += x - raw_[i8];
  raw_[i8] = x;
  lp2_sum_ += lp1_sum_ - lp1_[i8];
  lp1_[i8] = lp1_sum_;
  const int32_t d = (lp2_sum_ - lp2_hist_[(i8 + 2) & 7]) >> 4;  // lp2 six samples ago
  lp2_hist_[i8] = lp2_sum_;
  const int ie = static_cast<int>(now_ % kIntegration);
  const int64_t e = static_cast<int64_t>(d) * d;
  mwi_prev2_ = mwi_prev_;
  mwi_prev_ = mwi_;
  mwi_ += e - energy_[ie];
  energy_[ie] = e;
  lp_ring_[now_ & (kRing - 1)] = lp2_sum_;
  slope_ring_[now_ & (kRing - 1)] = Abs(d);
}

// The R peak: the largest deviation of the low-passed signal from its own 81 ms centred mean (a
// band-pass that ignores baseline and T waves) among the 60 samples ending 14 before the integrated
// energy's maximum, which trails the QRS by the filters' delay.
int64_t QrsDetector::LocateR() const {
  constexpr int kHalf = 14;
  const int64_t end = now_ - 1 - kHalf;  // the centred mean needs kHalf samples after
  const int64_t first = end - kRSearch + 1;
  int64_t sum = 0;
  for (int64_t t = first - kHalf; t <= first + kHalf; ++t)
    sum += lp_ring_[t & (kRing - 1)];
  int64_t best = end, best_dev = -1;
  for (int64_t t = first; t <= end; ++t) {
    if (t > first)
      sum += lp_ring_[(t + kHalf) & (kRing - 1)] - lp_ring_[(t - kHalf - 1) & (kRing - 1)];
    const int64_t dev = Abs64(lp_ring_[t & (kRing - 1)] * (2 * kHalf + 1) - sum);
    if (dev > best_dev) best_dev = dev, best = t;
  }
  return best - kLowPassDelay;
}

int32_t QrsDetector::MaxSlope() const {
  int32_t best = 0;
  for (int k = 0; k < kIntegration; ++k) {
    const int32_t s = slope_ring_[(now_ - 1 - k) & (kRing - 1)];
    if (s > best) best = s;
  }
  return best;
}

int64_t QrsDetector::Threshold() const {
  return npki_ + (spki_ - npki_) / 4;
}

int32_t QrsDetector::MissedInterval() const {
  int32_t avg = kDefaultRr;
  if (rr_count_ >= 8) {
    int32_t sum = 0;
    for (int32_t v : rr_)
      sum += v;
    avg = sum / 8;
  }
  return avg + avg * 2 / 3;  // 166 %
}

void QrsDetector::Noise(const Peak& p) {
  npki_ = (p.height + 7 * npki_) / 8;
  if (!p.t_wave && p.height > backup_.height) backup_ = p;
}

int QrsDetector::Accept(const Peak& accepted, bool searchback, int64_t* r, int n) {
  const Peak p = accepted;  // a copy: `accepted` may be backup_, which is cleared below
  // One huge ectopic beat must not lift the signal level over the normal beats that follow.
  const int64_t height = spki_ > 0 && p.height > 3 * spki_ / 2 ? 3 * spki_ / 2 : p.height;
  spki_ = searchback ? (height + 3 * spki_) / 4 : (height + 7 * spki_) / 8;
  if (last_r_ >= 0) {
    rr_[rr_count_ & 7] = static_cast<int32_t>(p.r - last_r_);
    ++rr_count_;
  }
  last_r_ = p.r;
  last_qrs_ = p.time;
  silent_since_ = p.time;
  last_slope_ = p.slope;
  last_height_ = p.height;
  backup_ = Peak();
  if (n < kMaxPerSample) r[n++] = p.r;
  return n;
}

int QrsDetector::OnPeak(const Peak& peak, int64_t* r, int n) {
  Peak p = peak;
  if (!learned_) {
    if (learning_count_ < 8) learning_peaks_[learning_count_++] = p;
    return n;
  }
  if (last_qrs_ >= 0 && p.time - last_qrs_ < kRefractory) return n;
  // T-wave-like: close after a QRS with less than half its steepest slope. Such a peak is never
  // taken by search-back; above the threshold it is still a T wave unless it carries more energy
  // than the QRS before it (early ectopic beats are often less steep but bigger).
  p.t_wave = last_qrs_ >= 0 && p.time - last_qrs_ < kTWaveWindow && 2 * p.slope < last_slope_;
  if (p.height <= Threshold() || p.height < kMinPeak || (p.t_wave && p.height < last_height_)) {
    Noise(p);
    return n;
  }
  return Accept(p, false, r, n);
}

int QrsDetector::SearchBack(int64_t* r, int n) {
  if (now_ - kRefractory - silent_since_ <= MissedInterval()) return n;
  if (backup_.time >= 0 && backup_.height > Threshold() / 2 && backup_.height >= kMinPeak) {
    return Accept(backup_, true, r, n);
  }
  // Nothing worth taking: the thresholds are too high for this signal; lower them and wait again.
  spki_ = (spki_ + npki_) / 2;
  silent_since_ = now_ - kRefractory;
  return n;
}

void QrsDetector::FindPeaks(int64_t* r, int& n) {
  if (mwi_prev_ > mwi_prev2_ && mwi_prev_ >= mwi_) {  // local maximum at now_ - 1
    Peak p;
    p.time = now_ - 1;
    p.height = mwi_prev_;
    p.slope = MaxSlope();
    p.r = LocateR();
    if (candidate_.time >= 0 && p.time - candidate_.time < kRefractory) {
      if (p.height > candidate_.height) candidate_ = p;
    } else {
      if (candidate_.time >= 0) n = OnPeak(candidate_, r, n);
      candidate_ = p;
    }
  }
  if (candidate_.time >= 0 && now_ - candidate_.time >= kRefractory) {
    n = OnPeak(candidate_, r, n);
    candidate_ = Peak();
  }
}

int QrsDetector::Push(int32_t x, int64_t* r) {
  Filter(x);
  int n = 0;
  if (now_ < kFilterDelay + kIntegration) return 0;  // filters still filling
  if (!learned_) learn_max_ = mwi_ > learn_max_ ? mwi_ : learn_max_;
  FindPeaks(r, n);
  if (!learned_ && now_ >= kLearning) {
    learned_ = true;
    spki_ = learn_max_ / 2;
    npki_ = learn_max_ / 16;
    silent_since_ = now_ - kRefractory;
    for (int i = 0; i < learning_count_; ++i)
      n = OnPeak(learning_peaks_[i], r, n);
  }
  if (learned_) n = SearchBack(r, n);
  return n;
}

}  // namespace vigil::ecg
