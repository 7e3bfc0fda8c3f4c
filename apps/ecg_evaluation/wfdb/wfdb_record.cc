#include "apps/ecg_evaluation/wfdb/wfdb_record.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil::ecg {
namespace {

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    size_t begin = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t')
      ++i;
    if (i > begin) fields.push_back(line.substr(begin, i - begin));
  }
  return fields;
}

template <typename T>
T ParseNumber(std::string_view text, const std::string& name, const char* what) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw HostError(name + ": " + what + " is not a number: '" + std::string(text) + "'");
  }
  return value;
}

std::string Shortest(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

// "gain[(baseline)][/units]"
void ParseGain(std::string_view field, WfdbSignalSpec& spec, bool& baseline_given,
               const std::string& name) {
  if (size_t slash = field.find('/'); slash != std::string_view::npos) {
    spec.units = std::string(field.substr(slash + 1));
    field = field.substr(0, slash);
  }
  if (size_t paren = field.find('('); paren != std::string_view::npos) {
    if (field.back() != ')')
      throw HostError(name + ": malformed gain field '" + std::string(field) + "'");
    spec.baseline =
        ParseNumber<int32_t>(field.substr(paren + 1, field.size() - paren - 2), name, "baseline");
    baseline_given = true;
    field = field.substr(0, paren);
  }
  spec.gain = ParseNumber<double>(field, name, "gain");
  if (spec.gain < 0) throw HostError(name + ": gain must be >= 0");
  if (spec.gain == 0)
    spec.gain = 200;  // WFDB: an uncalibrated signal is read with the default gain
  const std::optional<double> per_mv = GainPerMillivolt(spec);
  if (per_mv && !(*per_mv >= kMinGainAduPerMv && *per_mv <= kMaxGainAduPerMv)) {
    throw HostError(name + ": gain " + Shortest(spec.gain) + " adu/" + spec.units + " (" +
                    Shortest(*per_mv) + " adu/mV) is outside " + Shortest(kMinGainAduPerMv) +
                    " to " + Shortest(kMaxGainAduPerMv) +
                    " adu/mV, the range of real ECG recorders");
  }
  if (!std::isfinite(spec.gain))
    throw HostError(name + ": gain " + Shortest(spec.gain) + " is not a finite number");
}

WfdbSignalSpec ParseSignalLine(std::string_view line, const std::string& name) {
  std::vector<std::string_view> f = SplitFields(line);
  if (f.size() < 2)
    throw HostError(name + ": signal line needs a file name and a format: '" + std::string(line) +
                    "'");
  WfdbSignalSpec spec;
  spec.file_name = std::string(f[0]);
  std::string_view format = f[1];
  // Sample-per-frame, skew and offset suffixes ("212x2:3+4") are not used by the supported files.
  if (format.find_first_of("x:+") != std::string_view::npos) {
    throw HostError(name + ": unsupported format modifiers in '" + std::string(format) + "'");
  }
  spec.format = ParseNumber<int>(format, name, "signal format");
  if (spec.format != 212 && spec.format != 16) {
    throw HostError(name + ": unsupported signal format " + std::to_string(spec.format) +
                    " (212 and 16 are)");
  }
  bool baseline_given = false;
  if (f.size() > 2) ParseGain(f[2], spec, baseline_given, name);
  if (f.size() > 3) spec.adc_resolution = ParseNumber<int>(f[3], name, "ADC resolution");
  if (f.size() > 4) spec.adc_zero = ParseNumber<int32_t>(f[4], name, "ADC zero");
  if (!baseline_given) spec.baseline = spec.adc_zero;
  if (f.size() > 5) {
    spec.initial_value = ParseNumber<int32_t>(f[5], name, "initial value");
    spec.has_initial_value = true;
  }
  if (f.size() > 6) {
    spec.checksum = ParseNumber<int32_t>(f[6], name, "checksum");
    spec.has_checksum = true;
  }
  if (f.size() > 7 && ParseNumber<int>(f[7], name, "block size") != 0) {
    throw HostError(name + ": block size other than 0 is not supported");
  }
  for (size_t i = 8; i < f.size(); ++i) {
    if (i > 8) spec.description += ' ';
    spec.description += f[i];
  }
  return spec;
}

void ParseRecordLine(std::string_view line, WfdbHeader& header, const std::string& name) {
  std::vector<std::string_view> f = SplitFields(line);
  if (f.size() < 2) throw HostError(name + ": record line needs a name and a signal count");
  if (f[0].find('/') != std::string_view::npos)
    throw HostError(name + ": multi-segment records are not supported");
  header.record_name = std::string(f[0]);
  int count = ParseNumber<int>(f[1], name, "signal count");
  if (count < 1 || count > 64)
    throw HostError(name + ": signal count " + std::to_string(count) + " out of range 1..64");
  header.signals.resize(static_cast<size_t>(count));
  if (f.size() > 2) {
    std::string_view fs = f[2].substr(0, f[2].find_first_of("/("));
    header.sampling_frequency = ParseNumber<double>(fs, name, "sampling frequency");
    if (!(header.sampling_frequency >= kMinSamplingFrequencyHz &&
          header.sampling_frequency <= kMaxSamplingFrequencyHz)) {
      throw HostError(name + ": sampling frequency " + Shortest(header.sampling_frequency) +
                      " Hz is outside " + Shortest(kMinSamplingFrequencyHz) + " to " +
                      Shortest(kMaxSamplingFrequencyHz) + " Hz, the range of real ECG recorders");
    }
  }
  if (f.size() > 3) {
    header.sample_count = ParseNumber<int64_t>(f[3], name, "sample count");
    if (header.sample_count < 0 || header.sample_count > (int64_t{1} << 32)) {
      throw HostError(name + ": sample count out of range");
    }
  }
}

}  // namespace

std::optional<double> GainPerMillivolt(const WfdbSignalSpec& spec) {
  if (spec.units == "mV") return spec.gain;
  if (spec.units == "V") return spec.gain / 1e3;
  if (spec.units == "uV" || spec.units == "\u00b5V") return spec.gain * 1e3;
  if (spec.units == "nV") return spec.gain * 1e6;
  return std::nullopt;
}

int WfdbHeader::FindSignal(std::string_view description) const {
  for (size_t i = 0; i < signals.size(); ++i) {
    if (signals[i].description == description) return static_cast<int>(i);
  }
  return -1;
}

WfdbHeader ParseWfdbHeader(std::string_view text, const std::string& name) {
  WfdbHeader header;
  size_t signals_read = 0;
  bool record_line_read = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    if (line[first] == '#') {
      header.comments.emplace_back(line.substr(first + 1));
      continue;
    }
    if (!record_line_read) {
      ParseRecordLine(line, header, name);
      record_line_read = true;
    } else if (signals_read < header.signals.size()) {
      header.signals[signals_read++] = ParseSignalLine(line, name);
    }
  }
  if (!record_line_read) throw HostError(name + ": no record line");
  if (signals_read < header.signals.size()) {
    throw HostError(name + ": header names " + std::to_string(header.signals.size()) +
                    " signals but describes " + std::to_string(signals_read));
  }
  return header;
}

namespace {

// Unpacks the interleaved sample stream; returns how many samples the bytes hold.
std::vector<int32_t> UnpackSamples(std::span<const uint8_t> bytes, int format) {
  std::vector<int32_t> flat;
  if (format == 16) {
    flat.reserve(bytes.size() / 2);
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
      flat.push_back(static_cast<int16_t>(static_cast<uint16_t>(bytes[i] | bytes[i + 1] << 8)));
    }
    return flat;
  }
  // 212: two 12-bit two's-complement samples in three bytes; byte 1 holds the high nibbles.
  flat.reserve(bytes.size() / 3 * 2 + 1);
  auto sign12 = [](int32_t v) { return v >= 2048 ? v - 4096 : v; };
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    flat.push_back(sign12(bytes[i] | (bytes[i + 1] & 0x0F) << 8));
    flat.push_back(sign12(bytes[i + 2] | (bytes[i + 1] & 0xF0) << 4));
  }
  if (bytes.size() - i == 2) flat.push_back(sign12(bytes[i] | (bytes[i + 1] & 0x0F) << 8));
  return flat;
}

}  // namespace

std::vector<std::vector<int32_t>> DecodeWfdbSignals(std::span<const uint8_t> bytes,
                                                    const WfdbHeader& header,
                                                    const std::string& name) {
  const size_t nsig = header.signals.size();
  if (nsig == 0) throw HostError(name + ": the header describes no signals");
  for (const WfdbSignalSpec& s : header.signals) {
    if (s.file_name != header.signals[0].file_name || s.format != header.signals[0].format) {
      throw HostError(name + ": signals in different files or formats are not supported");
    }
  }
  const int format = header.signals[0].format;
  std::vector<int32_t> flat = UnpackSamples(bytes, format);
  int64_t frames = static_cast<int64_t>(flat.size() / nsig);
  if (header.sample_count > 0) {
    const size_t needed = static_cast<size_t>(header.sample_count) * nsig;
    const size_t needed_bytes = format == 16 ? needed * 2 : (needed * 3 + 1) / 2;
    if (bytes.size() < needed_bytes) {
      throw HostError(name + ": truncated: " + std::to_string(bytes.size()) +
                      " bytes, the header needs " + std::to_string(needed_bytes));
    }
    if (bytes.size() > needed_bytes + 1) {  // 212 may pad the last byte triple
      throw HostError(name + ": " + std::to_string(bytes.size() - needed_bytes) +
                      " bytes beyond the samples the header states");
    }
    frames = header.sample_count;
  }
  std::vector<std::vector<int32_t>> samples(nsig,
                                            std::vector<int32_t>(static_cast<size_t>(frames)));
  for (size_t s = 0; s < nsig; ++s) {
    int32_t sum = 0;
    for (int64_t i = 0; i < frames; ++i) {
      int32_t v = flat[static_cast<size_t>(i) * nsig + s];
      samples[s][static_cast<size_t>(i)] = v;
      sum = static_cast<int32_t>(static_cast<uint32_t>(sum) + static_cast<uint32_t>(v));
    }
    const WfdbSignalSpec& spec = header.signals[s];
    if (frames > 0 && spec.has_initial_value && samples[s][0] != spec.initial_value) {
      throw HostError(name + ": signal " + std::to_string(s) + " starts at " +
                      std::to_string(samples[s][0]) + ", the header says " +
                      std::to_string(spec.initial_value));
    }
    if (spec.has_checksum && static_cast<int16_t>(sum) != static_cast<int16_t>(spec.checksum)) {
      throw HostError(name + ": checksum mismatch on signal " + std::to_string(s) + " (" +
                      spec.description + "): data sums to " +
                      std::to_string(static_cast<int16_t>(sum)) + ", the header says " +
                      std::to_string(spec.checksum));
    }
  }
  return samples;
}

WfdbRecord ReadWfdbRecord(const std::string& path) {
  const std::string header_path = path + ".hea";
  WfdbRecord record;
  record.header = ParseWfdbHeader(ReadFileText(header_path), header_path);
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const std::string& file = record.header.signals[0].file_name;
  if (file.find('/') != std::string::npos || file == "-") {
    throw HostError(header_path + ": signal file '" + file +
                    "' must be a plain name beside the header");
  }
  const std::string dat_path = (dir / file).string();
  record.samples = DecodeWfdbSignals(ReadFileBytes(dat_path, kSignalFile), record.header, dat_path);
  return record;
}

}  // namespace vigil::ecg
