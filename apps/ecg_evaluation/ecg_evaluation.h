// EC57 evaluation of the ECG chain over MIT-BIH records: what `vigil ecg eval` and `vigil ecg
// stress` compute, as data (the commands print it, write JSON and draw the HTML report).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/ecg_evaluation/ec57/ec57_comparator.h"
#include "apps/ecg_evaluation/mitdb.h"
#include "apps/ecg_monitor/beat_classifier.h"

namespace vigil::ecg {

// A few seconds of signal around a scoring error, for the report's strips.
struct ErrorStrip {
  std::string record;
  int64_t first_sample = 0;
  std::vector<float> millivolts;
  std::vector<std::pair<int64_t, char>> reference, test;  // beat times and class letters
  std::string what;                                       // e.g. "V called n at 12:03.4"
};

struct RecordResult {
  std::string record;
  Ec57Counts counts;
  Ec57Stats stats;
  int64_t samples = 0;
  double analysis_seconds = 0;  // detector + classifier, one core
  std::vector<double> invoke_us;
  std::vector<int64_t> decision_delays;
  int veb_sveb_errors = 0;
  std::vector<ErrorStrip> strips;
};

struct Evaluation {
  std::vector<RecordResult> records;
  Ec57Counts gross_counts;
  Ec57Stats gross, average;
  double analysis_seconds = 0, signal_seconds = 0, wall_seconds = 0;
};

// The acceptance floors of the issue (gross, percent).
struct Floors {
  double qrs_se = 99.7, qrs_ppv = 99.7, veb_se = 85, veb_ppv = 90, sveb_se = 75, sveb_ppv = 40;
};
// The floors a result misses, as "VEB Se 83.10 < 85" lines; empty when all are met.
std::vector<std::string> MissedFloors(const Ec57Stats& gross, const Floors& floors = {});

// Transforms a loaded recording before analysis (noise stress adds noise here).
using RecordingTransform = std::function<void(EcgRecording&)>;

// classifier == nullptr scores detection only. `progress` is called after each record.
Evaluation EvaluateRecords(const std::string& db_directory, const std::vector<std::string>& records,
                           BeatClassifier* classifier, const RecordingTransform& transform = {},
                           const std::function<void(size_t)>& progress = {});

// A statistic as the ECG tools print it: "99.52", or "-" when it is undefined (0/0: nothing to count).
std::string FormatStatistic(const std::optional<double>& percent);
// {"qrs": {"se","ppv"}, "veb": {"se","ppv","fpr"}, "sveb": {...}}; an undefined statistic is null.
nlohmann::json StatsJson(const Ec57Stats& stats);
nlohmann::json EvaluationJson(const Evaluation& evaluation);
std::string FormatEvaluationTable(const Evaluation& evaluation);

}  // namespace vigil::ecg
