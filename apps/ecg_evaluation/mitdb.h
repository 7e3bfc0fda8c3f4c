// MIT-BIH Arrhythmia Database access for the ECG tools: the inter-patient record lists and one
// record's MLII lead with its reference annotations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"

namespace vigil::ecg {

// de Chazal et al. 2004: DS1 trains, DS2 tests; the paced records 102, 104, 107, 217 are in neither.
const std::vector<std::string>& Ds1Records();
const std::vector<std::string>& Ds2Records();

// "DS1", "DS2", "ALL" (DS1 + DS2) or a comma-separated list of record names.
std::vector<std::string> ParseRecordList(const std::string& spec);

struct EcgRecording {
  std::string name;
  std::string lead;  // the signal's description, "MLII" when present
  double sampling_frequency = 0;
  double gain = 200;             // ADC units per mV
  int32_t baseline = 0;          // ADC value of 0 mV
  std::vector<int32_t> samples;  // ADC units
  std::vector<WfdbAnnotation> reference;
};

// Reads DIR/NAME.hea, .dat and .atr. The lead is chosen by description, MLII first (signal 0 is
// not MLII in records 102, 104 and 114), else signal 0; its gain is converted to ADC units per mV.
// Throws HostError unless the record is 360 Hz and the lead is a voltage.
EcgRecording LoadRecording(const std::string& directory, const std::string& name,
                           bool with_annotations = true);

}  // namespace vigil::ecg
