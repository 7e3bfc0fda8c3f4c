#include "apps/ecg_evaluation/ecg_evaluation.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "apps/ecg_evaluation/record_analysis.h"

namespace vigil::ecg {
namespace {

constexpr int kStripSamples = 4 * 360;
constexpr int kStripsPerRecord = 2;

bool IsVebOrSvebError(const Ec57Mismatch& m) {
  return m.reference == 1 || m.reference == 2 || m.test == 1 || m.test == 2;
}

std::string ClockTime(int64_t sample) {
  char text[32];
  const double s = static_cast<double>(sample) / 360.0;
  std::snprintf(text, sizeof(text), "%d:%04.1f", static_cast<int>(s / 60),
                s - 60 * static_cast<int>(s / 60));
  return text;
}

ErrorStrip MakeStrip(const EcgRecording& rec, const std::vector<TestBeat>& test,
                     const Ec57Mismatch& m) {
  static const char kRows[] = "NSVFQO", kCols[] = "nsvfqo";
  ErrorStrip s;
  s.record = rec.name;
  const int64_t n = static_cast<int64_t>(rec.samples.size());
  s.first_sample =
      std::clamp<int64_t>(m.time - kStripSamples / 2, 0, std::max<int64_t>(0, n - kStripSamples));
  const int64_t last = std::min(n, s.first_sample + kStripSamples);
  for (int64_t i = s.first_sample; i < last; ++i) {
    s.millivolts.push_back(
        static_cast<float>((rec.samples[static_cast<size_t>(i)] - rec.baseline) / rec.gain));
  }
  for (const WfdbAnnotation& a : rec.reference) {
    if (IsQrsCode(a.code) && a.time >= s.first_sample && a.time < last) {
      s.reference.emplace_back(a.time, AamiLetter(AamiClassOfCode(a.code)));
    }
  }
  for (const TestBeat& b : test) {
    if (b.time >= s.first_sample && b.time < last)
      s.test.emplace_back(b.time, AamiLetter(b.label) + ('a' - 'A'));
  }
  s.what =
      std::string(1, kRows[m.reference]) + " called " + kCols[m.test] + " at " + ClockTime(m.time);
  return s;
}

void CollectTiming(const RecordAnalysis& analysis, RecordResult& r) {
  for (const AnalysedBeat& b : analysis.beats) {
    if (b.invoke_us > 0) r.invoke_us.push_back(b.invoke_us);
    r.decision_delays.push_back(b.decision_delay);
  }
}

}  // namespace

std::vector<std::string> MissedFloors(const Ec57Stats& g, const Floors& f) {
  std::vector<std::string> missed;
  auto check = [&](const char* name, const std::optional<double>& value, double floor) {
    if (!value || *value < floor) {
      char line[96];
      std::snprintf(line, sizeof(line), "%s %s < %g", name,
                    value ? std::to_string(*value).c_str() : "undefined", floor);
      missed.push_back(line);
    }
  };
  check("QRS Se", g.qrs_se, f.qrs_se);
  check("QRS +P", g.qrs_ppv, f.qrs_ppv);
  check("VEB Se", g.veb_se, f.veb_se);
  check("VEB +P", g.veb_ppv, f.veb_ppv);
  check("SVEB Se", g.sveb_se, f.sveb_se);
  check("SVEB +P", g.sveb_ppv, f.sveb_ppv);
  return missed;
}

Evaluation EvaluateRecords(const std::string& db_directory, const std::vector<std::string>& records,
                           BeatClassifier* classifier, const RecordingTransform& transform,
                           const std::function<void(size_t)>& progress) {
  const auto wall_start = std::chrono::steady_clock::now();
  Evaluation ev;
  std::vector<Ec57Stats> per_record;
  for (size_t i = 0; i < records.size(); ++i) {
    EcgRecording rec = LoadRecording(db_directory, records[i]);
    if (transform) transform(rec);
    RecordAnalysis analysis = AnalyseSignal(rec.samples, rec.gain, classifier);
    const std::vector<TestBeat> test = ToTestBeats(analysis);
    Ec57Options options;
    options.end_sample = static_cast<int64_t>(rec.samples.size());
    std::vector<Ec57Mismatch> mismatches;
    RecordResult r;
    r.record = rec.name;
    r.counts = CompareBeats(rec.reference, test, options, &mismatches);
    r.stats = ComputeStats(r.counts);
    r.samples = analysis.samples;
    r.analysis_seconds = analysis.seconds;
    CollectTiming(analysis, r);
    for (const Ec57Mismatch& m : mismatches) {
      if (!IsVebOrSvebError(m) && m.reference != 5 && m.test != 5) continue;
      r.veb_sveb_errors += IsVebOrSvebError(m);
      if (r.strips.size() < kStripsPerRecord) r.strips.push_back(MakeStrip(rec, test, m));
    }
    ev.gross_counts += r.counts;
    ev.analysis_seconds += r.analysis_seconds;
    ev.signal_seconds += static_cast<double>(r.samples) / rec.sampling_frequency;
    per_record.push_back(r.stats);
    ev.records.push_back(std::move(r));
    if (progress) progress(i + 1);
  }
  ev.gross = ComputeStats(ev.gross_counts);
  ev.average = AverageStats(per_record);
  ev.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return ev;
}

std::string FormatStatistic(const std::optional<double>& percent) {
  if (!percent) return "-";
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", *percent);
  return text;
}

nlohmann::json StatsJson(const Ec57Stats& s) {
  auto value = [](const std::optional<double>& v) -> nlohmann::json {
    if (!v) return nullptr;
    return *v;
  };
  return {{"qrs", {{"se", value(s.qrs_se)}, {"ppv", value(s.qrs_ppv)}}},
          {"veb", {{"se", value(s.veb_se)}, {"ppv", value(s.veb_ppv)}, {"fpr", value(s.veb_fpr)}}},
          {"sveb", {{"se", value(s.sveb_se)}, {"ppv", value(s.sveb_ppv)}}}};
}

namespace {

nlohmann::json CountsJson(const Ec57Counts& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (int r = 0; r < 6; ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (int t = 0; t < 6; ++t)
      row.push_back(r == 5 && t == 5 ? 0 : c.at(r, t));
    rows.push_back(row);
  }
  return {{"rows", {"N", "S", "V", "F", "Q", "O"}},
          {"columns", {"n", "s", "v", "f", "q", "o"}},
          {"counts", rows}};
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

nlohmann::json EvaluationJson(const Evaluation& ev) {
  nlohmann::json j = StatsJson(ev.gross);
  j["average"] = StatsJson(ev.average);
  j["confusion"] = CountsJson(ev.gross_counts);
  nlohmann::json rows = nlohmann::json::array();
  std::vector<double> invoke, delays;
  for (const RecordResult& r : ev.records) {
    nlohmann::json row = StatsJson(r.stats);
    row["record"] = r.record;
    row["confusion"] = CountsJson(r.counts)["counts"];
    row["analysis_seconds"] = r.analysis_seconds;
    rows.push_back(row);
    invoke.insert(invoke.end(), r.invoke_us.begin(), r.invoke_us.end());
    for (int64_t d : r.decision_delays)
      delays.push_back(static_cast<double>(d) / 360.0);
  }
  j["per_record"] = rows;
  j["timing"] = {
      {"signal_seconds", ev.signal_seconds},
      {"analysis_seconds", ev.analysis_seconds},
      {"wall_seconds", ev.wall_seconds},
      {"times_real_time", ev.analysis_seconds > 0 ? ev.signal_seconds / ev.analysis_seconds : 0.0},
      {"classifier_invoke_us_median", Percentile(invoke, 0.5)},
      {"classifier_invoke_us_p99", Percentile(invoke, 0.99)},
      {"decision_delay_s_median", Percentile(delays, 0.5)},
      {"decision_delay_s_p99", Percentile(delays, 0.99)},
      {"decision_delay_s_max",
       delays.empty() ? 0.0 : *std::max_element(delays.begin(), delays.end())}};
  return j;
}

std::string FormatEvaluationTable(const Evaluation& ev) {
  auto pct = [](const std::optional<double>& v) {
    char text[40];
    std::snprintf(text, sizeof(text), "%6s", FormatStatistic(v).c_str());
    return std::string(text);
  };
  std::string out =
      "Record   Nn    Sn   Vn   Fn   On   Ns   Ss   Vs   Nv   Sv   Vv   Fv   No   So   Vo"
      "   Q Se   Q +P   V Se   V +P  V FPR   S Se   S +P\n";
  auto line = [&](const std::string& name, const Ec57Counts& c, const Ec57Stats& s) {
    char text[256];
    std::snprintf(text, sizeof(text),
                  "%-6s %5lld %4lld %4lld %4lld %4lld %4lld %4lld %4lld %4lld %4lld %4lld %4lld "
                  "%4lld %4lld %4lld",
                  name.c_str(), (long long)c.at(0, 0), (long long)c.at(1, 0), (long long)c.at(2, 0),
                  (long long)c.at(3, 0), (long long)c.at(5, 0), (long long)c.at(0, 1),
                  (long long)c.at(1, 1), (long long)c.at(2, 1), (long long)c.at(0, 2),
                  (long long)c.at(1, 2), (long long)c.at(2, 2), (long long)c.at(3, 2),
                  (long long)c.at(0, 5), (long long)c.at(1, 5), (long long)c.at(2, 5));
    out += text;
    out += " " + pct(s.qrs_se) + " " + pct(s.qrs_ppv) + " " + pct(s.veb_se) + " " + pct(s.veb_ppv) +
           " " + pct(s.veb_fpr) + " " + pct(s.sveb_se) + " " + pct(s.sveb_ppv) + "\n";
  };
  for (const RecordResult& r : ev.records)
    line(r.record, r.counts, r.stats);
  line("Gross", ev.gross_counts, ev.gross);
  out += "Average" + std::string(91, ' ') + pct(ev.average.qrs_se) + " " + pct(ev.average.qrs_ppv) +
         " " + pct(ev.average.veb_se) + " " + pct(ev.average.veb_ppv) + " " +
         pct(ev.average.veb_fpr) + " " + pct(ev.average.sveb_se) + " " + pct(ev.average.sveb_ppv) +
         "\n";
  char timing[160];
  std::snprintf(timing, sizeof(timing),
                "%.0f s of ECG analysed in %.2f s on one core (%.0fx real time); wall %.2f s\n",
                ev.signal_seconds, ev.analysis_seconds,
                ev.analysis_seconds > 0 ? ev.signal_seconds / ev.analysis_seconds : 0.0,
                ev.wall_seconds);
  return out + timing;
}

}  // namespace vigil::ecg
