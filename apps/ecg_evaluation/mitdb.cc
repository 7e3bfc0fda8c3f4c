#include "apps/ecg_evaluation/mitdb.h"

#include <charconv>
#include <filesystem>
#include <sstream>

#include "apps/ecg_evaluation/wfdb/wfdb_record.h"
#include "host/error.h"
#include "signal/ecg/ecg_signal_config.h"

namespace vigil::ecg {

const std::vector<std::string>& Ds1Records() {
  static const std::vector<std::string> kRecords = {
      "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122",
      "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230"};
  return kRecords;
}

const std::vector<std::string>& Ds2Records() {
  static const std::vector<std::string> kRecords = {
      "100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210",
      "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234"};
  return kRecords;
}

std::vector<std::string> ParseRecordList(const std::string& spec) {
  if (spec == "DS1") return Ds1Records();
  if (spec == "DS2") return Ds2Records();
  if (spec == "ALL") {
    std::vector<std::string> all = Ds1Records();
    all.insert(all.end(), Ds2Records().begin(), Ds2Records().end());
    return all;
  }
  std::vector<std::string> out;
  std::stringstream in(spec);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty() || item.find_first_of("/\\") != std::string::npos) {
      throw HostError("bad record name '" + item + "' in '" + spec +
                      "' (DS1, DS2, ALL or names like 100,101)");
    }
    out.push_back(item);
  }
  if (out.empty()) throw HostError("empty record list");
  return out;
}

EcgRecording LoadRecording(const std::string& directory, const std::string& name,
                           bool with_annotations) {
  const std::string base = (std::filesystem::path(directory) / name).string();
  WfdbRecord record = ReadWfdbRecord(base);
  if (record.header.sampling_frequency != kSampleRateHz) {
    // The shortest text that reads back as the same rate: "360.0000001", never a rounded "360.000000".
    char rate[32];
    const auto [end, ec] =
        std::to_chars(rate, rate + sizeof(rate), record.header.sampling_frequency);
    throw HostError(base + ".hea: sampled at " + std::string(rate, ec == std::errc() ? end : rate) +
                    " Hz, not the " + std::to_string(kSampleRateHz) + " Hz the ECG chain runs at");
  }
  int lead = record.header.FindSignal("MLII");
  if (lead < 0) lead = 0;
  const WfdbSignalSpec& spec = record.header.signals[static_cast<size_t>(lead)];
  const std::optional<double> gain = GainPerMillivolt(spec);
  if (!gain) {
    throw HostError(base + ".hea: signal '" + spec.description + "' is in '" + spec.units +
                    "'; the ECG chain needs a voltage (V, mV, uV or nV)");
  }
  EcgRecording out;
  out.name = name;
  out.lead = spec.description;
  out.sampling_frequency = record.header.sampling_frequency;
  out.gain = *gain;
  out.baseline = spec.baseline;
  out.samples = std::move(record.samples[static_cast<size_t>(lead)]);
  if (with_annotations) out.reference = ReadWfdbAnnotations(base + ".atr");
  return out;
}

}  // namespace vigil::ecg
