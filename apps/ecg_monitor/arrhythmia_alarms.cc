#include "apps/ecg_monitor/arrhythmia_alarms.h"

#include <cstdio>

namespace vigil::ecg {
namespace {

constexpr double kFs = 360;
constexpr int kRunBeats = 3;
constexpr double kTachycardiaBpm = 120, kBradycardiaBpm = 40;
constexpr double kPauseSeconds = 2.5, kAsystoleSeconds = 4;

std::string Format(const char* format, double a, double b = 0) {
  char text[96];
  std::snprintf(text, sizeof(text), format, a, b);
  return text;
}

}  // namespace

void ArrhythmiaAlarms::OnBeat(int64_t r, AamiClass label, double rr, std::vector<Alarm>& fired) {
  const bool first = last_r_ < 0;
  last_r_ = r;
  if (label == AamiClass::kV) {
    ++v_run_;
    v_run_rr_sum_ += rr;
    if (v_run_ >= kRunBeats && !v_run_fired_) {
      const double bpm = 60.0 * v_run_ / v_run_rr_sum_;
      fired.push_back({r, bpm > 100 ? "ventricular tachycardia" : "ventricular run",
                       Format("%.0f consecutive V beats at %.0f bpm", v_run_, bpm)});
      v_run_fired_ = true;
    }
  } else {
    v_run_ = 0;
    v_run_rr_sum_ = 0;
    v_run_fired_ = false;
  }
  if (first) return;
  if (rr > kPauseSeconds) fired.push_back({r, "pause", Format("RR interval %.2f s", rr)});
  rr_[rr_count_++ % 8] = rr;
  if (rr_count_ < 8) return;
  double sum = 0;
  for (double v : rr_)
    sum += v;
  const double bpm = 60.0 * 8 / sum;
  if (bpm > kTachycardiaBpm && !tachy_)
    fired.push_back({r, "tachycardia", Format("heart rate %.0f bpm", bpm)});
  if (bpm < kBradycardiaBpm && !brady_)
    fired.push_back({r, "bradycardia", Format("heart rate %.0f bpm", bpm)});
  tachy_ = bpm > kTachycardiaBpm;
  brady_ = bpm < kBradycardiaBpm;
}

void ArrhythmiaAlarms::OnSample(int64_t now, int64_t last_detected_r, std::vector<Alarm>& fired) {
  if (last_detected_r < 0) return;
  if (last_detected_r > last_seen_r_) {
    last_seen_r_ = last_detected_r;
    asystole_ = false;
  }
  if (asystole_) return;
  if (static_cast<double>(now - last_detected_r) > kAsystoleSeconds * kFs) {
    fired.push_back({now, "asystole", Format("no beat for %.0f s", kAsystoleSeconds)});
    asystole_ = true;
  }
}

}  // namespace vigil::ecg
