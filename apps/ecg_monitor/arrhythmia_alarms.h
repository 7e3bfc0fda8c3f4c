// ArrhythmiaAlarms: the monitor's alarm rules, evaluated beat by beat (and on a clock for asystole).
//
// Rules (each alarm fires once when its condition starts and re-arms when it ends):
//  - ventricular run: >= 3 consecutive V beats ("ventricular tachycardia" when their rate > 100 bpm)
//  - tachycardia: mean heart rate over the last 8 beats > 120 bpm
//  - bradycardia: mean heart rate over the last 8 beats < 40 bpm
//  - pause: an RR interval > 2.5 s
//  - asystole: no beat for 4 s (clock driven: checked on every sample)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signal/ecg/aami_class.h"

namespace vigil::ecg {

struct Alarm {
  int64_t sample = 0;  // when it fired
  std::string kind;    // "ventricular run", "tachycardia", ...
  std::string detail;  // e.g. "4 V beats at 196 bpm"
};

class ArrhythmiaAlarms {
 public:
  // A classified beat with its R time and pre-RR interval (seconds).
  void OnBeat(int64_t r, AamiClass label, double rr_seconds, std::vector<Alarm>& fired);
  // The sample clock and the detector's latest R (before classification; -1: none yet), for
  // alarms that fire on the absence of beats.
  void OnSample(int64_t now, int64_t last_detected_r, std::vector<Alarm>& fired);

 private:
  int v_run_ = 0;
  double v_run_rr_sum_ = 0;
  bool v_run_fired_ = false, tachy_ = false, brady_ = false, asystole_ = false;
  double rr_[8] = {};
  int rr_count_ = 0;
  int64_t last_r_ = -1, last_seen_r_ = -1;
};

}  // namespace vigil::ecg
