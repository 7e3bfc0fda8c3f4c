// Fixed parameters of Vigil's ECG signal chain, and what each costs on a microcontroller.
//
// The chain runs at 360 Hz (MIT-BIH's rate). Everything here is shared, number for number, with the
// Python twin that produced the classifier's training tensors (models/ecg/ecg_data.py): change one
// and the model must be retrained.
#pragma once

#include <cstdint>

namespace vigil::ecg {

constexpr int kSampleRateHz = 360;

// Baseline removal: x minus two cascaded centred moving averages (0.2 s then 0.6 s), kept as exact
// integers z = x * 73 * 217 - S217(S73(x)). Costs (73 + 2 * 217) * 4 = 2028 bytes of RAM and delays
// the filtered signal by 36 + 108 = 144 samples (0.4 s).
constexpr int kBaselineShortTaps = 73;
constexpr int kBaselineLongTaps = 217;
constexpr int32_t kBaselineScale = kBaselineShortTaps * kBaselineLongTaps;
constexpr int kBaselineDelay = kBaselineShortTaps / 2 + kBaselineLongTaps / 2;

// Beat window given to the classifier: 128 values at 180 Hz (pairs of samples averaged) from 92
// samples (256 ms) before R to 164 samples (456 ms) after it.
constexpr int kWindowBefore = 92;
constexpr int kWindowValues = 128;
constexpr int kWindowSpan = 2 * kWindowValues;  // samples at 360 Hz
constexpr int kWindowAfter = kWindowSpan - kWindowBefore;

// The QRS part of the beat window, values 32..61 (-78 ms .. +89 ms around R): the span over which a
// beat is compared with the patient's template (BeatFeatures::qrs_difference).
constexpr int kQrsFirst = 32;
constexpr int kQrsEnd = 62;

// Beat alignment: the detector's R is not always the same point of a QRS (the R or the S wave of a
// biphasic complex, a notch), so each beat's window is moved by up to 16 samples (44 ms) either way
// to where its QRS part correlates best with the patient's template. A beat then waits 16 samples
// longer for its window.
constexpr int kAlignSamples = 16;

// History of filtered samples kept for beat windows: 2^11 int32 = 8 KB. A beat waits for its
// successor up to 3 s + the detector's 0.53 s before it is classified; its window must still be in
// the history then (3.53 s + 256 ms < 2048 samples = 5.7 s).
constexpr int kHistorySamples = 2048;

// RR features: each RR interval clamped to 3 s; local rhythm = mean of the last 8 RR, patient
// rhythm = mean of the last 128 RR (128 * 4 bytes of RAM). A beat is classified when the next beat
// is found or 3 s after it, whichever is first: the decision delay is bounded by 3 s + kWindowAfter.
constexpr int kRrClampSamples = 3 * kSampleRateHz;
constexpr int kLocalBeats = 8;
constexpr int kAverageBeats = 128;
constexpr int kRrFeatures = 9;

// The classifier's second input, the beat's context: the 9 RR features, then how the beat's QRS
// compares with the template (correlation, difference energy, amplitude ratio; the last two capped,
// since beyond 10 times the template's energy a QRS is simply unlike it).
constexpr int kContextFeatures = kRrFeatures + 3;
constexpr float kQrsComparisonCap = 10.0f;

// The version of this chain's classifier inputs. A model records the version it was trained on
// (metadata property "ecg.signal_chain") and is refused by another chain. 2: aligned windows and the
// 12 context features.
constexpr int kSignalChainVersion = 2;

}  // namespace vigil::ecg
