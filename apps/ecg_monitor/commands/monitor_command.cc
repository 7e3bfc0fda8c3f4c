// `vigil ecg monitor`: the serial monitor. Streams a record or the built-in synthetic ECG through
// the chain sample by sample, prints every beat and alarm, and ends with a summary.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "apps/ecg_evaluation/ecg_evaluation.h"
#include "apps/ecg_evaluation/mitdb.h"
#include "apps/ecg_evaluation/synthetic_ecg.h"
#include "apps/ecg_monitor/arrhythmia_alarms.h"
#include "apps/ecg_monitor/beat_classifier.h"
#include "apps/ecg_monitor/commands/ecg_commands.h"
#include "host/command_line.h"
#include "host/error.h"

namespace vigil::ecg {
namespace {

using Clock = std::chrono::steady_clock;

struct Source {
  std::string name;
  std::vector<int32_t> samples;
  double gain = 200;
  bool has_reference = false;  // a record without an annotation file is monitored, not scored
  std::string reference_file;  // the annotation file looked for (records only)
  std::vector<WfdbAnnotation> truth;  // reference beats when known
};

Source LoadSource(const std::string& record, bool synthetic, double seconds) {
  Source s;
  if (synthetic) {
    SyntheticEcgOptions options;
    if (seconds > 0) options.seconds = seconds;
    SyntheticEcg ecg = GenerateSyntheticEcg(options);
    s.name =
        "synthetic (McSharry model, " + std::to_string(static_cast<int>(options.seconds)) + " s)";
    s.samples = std::move(ecg.samples);
    s.gain = ecg.gain;
    s.has_reference = true;
    for (const TestBeat& b : ecg.truth) {
      WfdbAnnotation a;
      a.time = b.time;
      a.code = b.label == AamiClass::kV ? 5 : b.label == AamiClass::kS ? 8 : 1;
      s.truth.push_back(a);
    }
    return s;
  }
  const size_t slash = record.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : record.substr(0, slash);
  // A missing annotation file only means nothing to score against; one that exists must read.
  s.reference_file = record + ".atr";
  s.has_reference = std::filesystem::exists(s.reference_file);
  EcgRecording rec = LoadRecording(dir, record.substr(slash == std::string::npos ? 0 : slash + 1),
                                   s.has_reference);
  s.name = "record " + rec.name + " (" + rec.lead + ")";
  s.gain = rec.gain;
  s.samples = std::move(rec.samples);
  if (seconds > 0) s.samples.resize(std::min(s.samples.size(), static_cast<size_t>(seconds * 360)));
  s.truth = std::move(rec.reference);
  return s;
}

std::string ClockTime(int64_t sample) {
  char text[32];
  const double t = static_cast<double>(sample) / 360.0;
  std::snprintf(text, sizeof(text), "%02d:%06.3f", static_cast<int>(t / 60),
                t - 60 * static_cast<int>(t / 60));
  return text;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int RunEcgMonitorCommand(int argc, char** argv) {
  CommandLine cli(
      "vigil ecg monitor",
      "Stream an ECG through the detector and classifier sample by sample, print each beat and\n"
      "alarm, and end with a summary (beats by class, latency, arena bytes, peak RSS).");
  std::string record, model;
  bool synthetic = false, realtime = false, quiet = false, json = false;
  double seconds = 0;
  cli.Option("", "--record", &record, "DIR/NAME", "a WFDB record, e.g. ../shared/data/mitdb/119");
  cli.Flag("", "--synthetic", &synthetic, "use the built-in synthetic ECG (no data set needed)");
  cli.Flag("", "--realtime", &realtime, "pace the stream at 360 samples per second");
  cli.Option("", "--model", &model, "FILE", "beat classifier .vgl (default: the built-in model)");
  // Bounded so that a synthetic ECG of that length fits in memory (a day is 31 M samples).
  cli.Option("", "--seconds", &seconds, "S",
             "stop after S seconds of signal (synthetic default 300)", RealRange{0, 86400, true});
  cli.Flag("-q", "--quiet", &quiet, "print alarms and the summary only");
  cli.Flag("", "--json", &json, "print the summary as JSON (beats and alarms are not printed)");
  cli.Epilog(
      "Alarms: ventricular run (>= 3 V; tachycardia if > 100 bpm), tachycardia (> 120 bpm over 8 "
      "beats),\n"
      "bradycardia (< 40 bpm over 8 beats), pause (RR > 2.5 s), asystole (no beat for 4 s).");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (synthetic == !record.empty()) {
    std::fprintf(stderr, "vigil ecg monitor: give exactly one of --record and --synthetic\n");
    return 2;
  }
  const Source source = LoadSource(record, synthetic, seconds);
  BeatClassifier classifier(model);
  auto stream = std::make_unique<BeatStream>(source.gain);
  ArrhythmiaAlarms alarms;
  std::vector<Alarm> fired;
  std::vector<TestBeat> beats;
  std::vector<double> latency_us, delay_s;
  int64_t by_class[kAamiClasses] = {};
  int alarm_count = 0;
  const bool print = !quiet && !json;
  if (!json) std::printf("Monitoring %s with %s\n", source.name.c_str(), classifier.name().c_str());
  const Clock::time_point start = Clock::now();
  auto on_beat = [&](const BeatFeatures& b, Clock::time_point t0) {
    const AamiClass label = b.has_window ? classifier.Classify(b) : AamiClass::kQ;
    latency_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    delay_s.push_back(static_cast<double>(b.emitted_at - b.r) / 360.0);
    ++by_class[static_cast<int>(label)];
    beats.push_back({b.r, label});
    if (print) {
      std::printf("%s  %c  RR %.3f s  HR %3.0f bpm\n", ClockTime(b.r).c_str(), AamiLetter(label),
                  b.rr[0], 60.0 / b.rr[0]);
    }
    alarms.OnBeat(b.r, label, b.rr[0], fired);
  };
  BeatFeatures beat;
  for (size_t i = 0; i < source.samples.size(); ++i) {
    if (realtime && i % 36 == 0)
      std::this_thread::sleep_until(start + std::chrono::microseconds(i * 1000000 / 360));
    const Clock::time_point t0 = Clock::now();
    stream->Push(source.samples[i]);
    while (stream->Pop(&beat))
      on_beat(beat, t0);
    alarms.OnSample(static_cast<int64_t>(i), stream->last_detected_r(), fired);
    for (const Alarm& a : fired) {
      ++alarm_count;
      if (!json)
        std::printf("%s  ALARM %s: %s\n", ClockTime(a.sample).c_str(), a.kind.c_str(),
                    a.detail.c_str());
    }
    fired.clear();
  }
  stream->Finish();
  while (stream->Pop(&beat))
    on_beat(beat, Clock::now());
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();

  nlohmann::json summary = {
      {"source", source.name},
      {"model", classifier.name()},
      {"signal_seconds", static_cast<double>(source.samples.size()) / 360.0},
      {"wall_seconds", wall},
      {"beats",
       {{"N", by_class[0]},
        {"S", by_class[1]},
        {"V", by_class[2]},
        {"F", by_class[3]},
        {"Q", by_class[4]}}},
      {"alarms", alarm_count},
      {"beat_latency_us",
       {{"median", Percentile(latency_us, 0.5)}, {"p99", Percentile(latency_us, 0.99)}}},
      {"decision_delay_s",
       {{"median", Percentile(delay_s, 0.5)}, {"p99", Percentile(delay_s, 0.99)}}},
      {"arena_bytes", classifier.arena_bytes()},
      {"signal_chain_state_bytes", sizeof(BeatStream)},
      {"peak_rss_kb", PeakRssKb()}};
  std::optional<Ec57Stats> scored;
  if (source.has_reference) {
    // Only the analysed span is scored: the reference is cut at its end by the comparator's EC57
    // edge rules, as `vigil ecg eval` cuts it at the record's end.
    Ec57Options options;
    options.start_s = 0;
    options.end_sample = static_cast<int64_t>(source.samples.size());
    scored = ComputeStats(CompareBeats(source.truth, beats, options));
  }
  summary["against_reference"] = scored ? StatsJson(*scored) : nlohmann::json(nullptr);
  if (json) {
    std::printf("%s\n", summary.dump(2).c_str());
    return 0;
  }
  std::printf("\nSummary: %lld beats in %.0f s of signal (%.2f s wall)\n",
              static_cast<long long>(beats.size()), summary["signal_seconds"].get<double>(), wall);
  std::printf("  beats by class: N %lld  S %lld  V %lld  F %lld  Q (unclassified) %lld\n",
              (long long)by_class[0], (long long)by_class[1], (long long)by_class[2],
              (long long)by_class[3], (long long)by_class[4]);
  std::printf("  alarms: %d\n", alarm_count);
  std::printf(
      "  per-beat latency: median %.1f us, p99 %.1f us (processing); decision delay after R: "
      "median %.2f s, p99 %.2f s\n",
      Percentile(latency_us, 0.5), Percentile(latency_us, 0.99), Percentile(delay_s, 0.5),
      Percentile(delay_s, 0.99));
  std::printf("  classifier arena: %zu bytes; signal chain state: %zu bytes; peak RSS: %ld kB\n",
              classifier.arena_bytes(), sizeof(BeatStream), PeakRssKb());
  if (scored) {
    auto v = [](const std::optional<double>& x) { return FormatStatistic(x) + (x ? " %" : ""); };
    std::printf(
        "  against the reference beats: QRS Se %s +P %s; VEB Se %s +P %s; SVEB Se %s +P %s\n",
        v(scored->qrs_se).c_str(), v(scored->qrs_ppv).c_str(), v(scored->veb_se).c_str(),
        v(scored->veb_ppv).c_str(), v(scored->sveb_se).c_str(), v(scored->sveb_ppv).c_str());
  } else {
    std::printf("  no reference annotations (%s not found): beats are not scored\n",
                source.reference_file.c_str());
  }
  return 0;
}

}  // namespace vigil::ecg
