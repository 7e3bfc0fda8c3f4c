// WFDB records (PhysioNet's format for MIT-BIH and its relatives): the `.hea` header and the signal
// file it describes, in signal formats 212 and 16.
//
// Contract
//  - Untrusted input: every field is checked, and any problem (a truncated file, a header that does
//    not match the data, a bad checksum, an unsupported format) throws HostError naming the file and
//    what is wrong. Nothing is returned half-read.
//  - Header lines may end in CRLF (PhysioNet's originals) or LF.
//  - Samples are returned in ADC units per signal; physical value = (adc - baseline) / gain.
//  - Gains and sampling frequencies no ECG recorder has are refused, naming the bound (the chain
//    scales the signal by the gain, so a gain of 1e-300 silently turned every V beat into N):
//    a voltage signal's gain must lie within kMinGainAduPerMv..kMaxGainAduPerMv once its units
//    (V, mV, uV, nV) are converted to mV; the sampling frequency within kMinSamplingFrequencyHz..
//    kMaxSamplingFrequencyHz. The ECG chain itself runs at 360 Hz only (mitdb.h).
//
//   WfdbRecord rec = ReadWfdbRecord("/data/mitdb/100");      // reads 100.hea and 100.dat
//   int lead = rec.header.FindSignal("MLII");                // signal 0 is not always MLII
//   std::span<const int32_t> mlii = rec.samples[lead];
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::ecg {

// 1 adu/mV: one ADC step of 1 mV, a whole QRS complex; no ECG recorder is that coarse.
// 1e7 adu/mV: one step of 0.1 nV, four orders of magnitude below an ECG amplifier's input noise
// (about 1 uV) and finer than a 24-bit converter over any ECG input range (1e4 to 1e6 adu/mV).
constexpr double kMinGainAduPerMv = 1, kMaxGainAduPerMv = 1e7;
// ECG is recorded at 50 Hz (old Holter) to a few tens of kHz (pacemaker-pulse detection).
constexpr double kMinSamplingFrequencyHz = 1, kMaxSamplingFrequencyHz = 100000;

struct WfdbSignalSpec {
  std::string file_name;
  int format = 0;        // 212 or 16
  double gain = 200;     // ADC units per physical unit (0 in the file means 200)
  int32_t baseline = 0;  // ADC value of 0 physical units (defaults to adc_zero)
  std::string units = "mV";
  int adc_resolution = 12;  // bits
  int32_t adc_zero = 0;
  bool has_initial_value = false;
  int32_t initial_value = 0;
  bool has_checksum = false;
  int32_t checksum = 0;     // 16-bit sum of the samples, as a signed number
  std::string description;  // e.g. "MLII", "V5"
};

struct WfdbHeader {
  std::string record_name;
  double sampling_frequency = 250;  // WFDB's default when the header has none
  int64_t sample_count = 0;         // per signal; 0: not stated (taken from the signal file)
  std::vector<WfdbSignalSpec> signals;
  std::vector<std::string> comments;

  // Index of the first signal whose description is `description`, or -1.
  int FindSignal(std::string_view description) const;
};

struct WfdbRecord {
  WfdbHeader header;
  std::vector<std::vector<int32_t>> samples;  // samples[signal][i], ADC units
};

// The signal's gain in ADC units per millivolt, from its units (V, mV, uV or nV); nullopt when the
// units are not a voltage.
std::optional<double> GainPerMillivolt(const WfdbSignalSpec& spec);

WfdbHeader ParseWfdbHeader(std::string_view text, const std::string& name_for_errors);

// Decodes a signal file holding all of the header's signals, interleaved, in one format. Checks the
// length against the header, each signal's initial value and checksum.
std::vector<std::vector<int32_t>> DecodeWfdbSignals(std::span<const uint8_t> bytes,
                                                    const WfdbHeader& header,
                                                    const std::string& name_for_errors);

// `path` is the record's path without extension ("dir/100"); the signal file is found beside it.
WfdbRecord ReadWfdbRecord(const std::string& path);

}  // namespace vigil::ecg
