// SyntheticEcg: a built-in ECG source for `vigil ecg monitor --synthetic`, so the monitor runs with
// no data set. A McSharry-style dynamical model (McSharry et al., IEEE TBME 50(3), 2003): a point
// circles a limit cycle once per beat and the ECG is the sum of Gaussian P, Q, R, S and T waves
// over the cycle's phase, with baseline wander and measurement noise.
//
// Every beat carries its truth: normal sinus beats, premature ventricular beats (wide QRS, no P,
// inverted T, compensatory pause), premature atrial beats (early, normal QRS, odd P), with
// scheduled episodes for the monitor's alarms (a ventricular run, tachycardia, bradycardia, a pause).
#pragma once

#include <cstdint>
#include <vector>

#include "apps/ecg_evaluation/ec57/ec57_comparator.h"

namespace vigil::ecg {

struct SyntheticEcgOptions {
  double seconds = 300;
  double heart_rate_bpm = 72;
  double pvc_every_beats = 23;  // isolated PVCs about this often (0: none)
  double pac_every_beats = 31;  // isolated PACs about this often (0: none)
  bool episodes = true;         // ventricular run, tachycardia, bradycardia and a pause
  double noise_mv = 0.015;      // white measurement noise, RMS
  uint32_t seed = 1;
};

struct SyntheticEcg {
  std::vector<int32_t> samples;  // 360 Hz, ADC units (gain 200 per mV, zero 0)
  std::vector<TestBeat> truth;   // R peak time and class of every beat
  double gain = 200;
};

SyntheticEcg GenerateSyntheticEcg(const SyntheticEcgOptions& options = {});

}  // namespace vigil::ecg
