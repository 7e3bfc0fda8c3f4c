// Noise stress test records, made the way PhysioNet's `nst` makes the MIT-BIH Noise Stress Test
// Database: noise from an nstdb noise record (bw, ma, em) scaled to a stated SNR and added to a
// clean ECG in two-minute segments alternating with two clean minutes, from minute 5 on.
//
//   SNR (dB) = 20 log10(4 * rms(noise * g) / (sqrt(2) * A)) with A = the normal QRS peak-to-peak
//   amplitude of the ECG (trimmed mean) and rms(noise) = the noise signal's RMS amplitude (trimmed
//   mean over 1 s windows), so g = 10^(-SNR/20) * sqrt(2) / 4 * A / rms(noise).
// When the gain changes, an offset keeps the output continuous, as nst does.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"

namespace vigil::ecg {

// Trimmed mean (5 % off each end) of the peak-to-peak amplitude in +-100 ms around each beat of
// AAMI class N (N, L, R, e, j: a bundle-branch-block patient's normal beats), in ADC units.
double NormalQrsAmplitude(std::span<const int32_t> ecg, std::span<const WfdbAnnotation> reference);
// Trimmed mean (5 % off each end) of the RMS amplitude about the mean in 1 s windows (360 samples).
double RmsAmplitude(std::span<const int32_t> noise);

// The nst gain for a given SNR.
double NoiseGain(double snr_db, double qrs_amplitude, double noise_rms);

// ECG + g * noise in alternating 2-minute segments from 5:00 (noise repeats if shorter).
std::vector<int32_t> AddNoise(std::span<const int32_t> ecg, std::span<const int32_t> noise,
                              double gain);

}  // namespace vigil::ecg
