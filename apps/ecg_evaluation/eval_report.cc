#include "apps/ecg_evaluation/eval_report.h"

#include <algorithm>
#include <cstdio>

#include "host/html_report.h"
#include "host/svg_chart.h"

namespace vigil::ecg {
namespace {

std::string PerRecordChart(const Evaluation& ev, const char* title,
                           std::optional<double> Ec57Stats::*se,
                           std::optional<double> Ec57Stats::*ppv, double floor_se) {
  svg::BarChart chart;
  chart.title = title;
  chart.y_label = "%";
  chart.y_min = 0;
  chart.y_max = 100;
  chart.reference_line = floor_se;
  chart.width = 900;
  std::vector<double> se_values, ppv_values;
  for (const RecordResult& r : ev.records) {
    chart.categories.push_back(r.record);
    se_values.push_back((r.stats.*se).value_or(0));
    ppv_values.push_back((r.stats.*ppv).value_or(0));
  }
  chart.groups = {{"Se", se_values}, {"+P", ppv_values}};
  return svg::Render(chart);
}

std::string ConfusionHeatmap(const Ec57Counts& c) {
  svg::Heatmap map;
  map.title = "Confusion matrix (gross; rows reference, columns test)";
  map.x_label = "test";
  map.y_label = "reference";
  map.row_labels = {"N", "S", "V", "F", "Q", "O (extra)"};
  map.column_labels = {"n", "s", "v", "f", "q", "o (missed)"};
  for (int r = 0; r < 6; ++r) {
    std::vector<double> row;
    for (int t = 0; t < 6; ++t)
      row.push_back(r == 5 && t == 5 ? 0 : static_cast<double>(c.at(r, t)));
    map.values.push_back(row);
  }
  return svg::Render(map);
}

std::string StripChart(const ErrorStrip& s) {
  svg::LineChart chart;
  chart.title = "Record " + s.record + ": " + s.what;
  chart.x_label = "s";
  chart.y_label = "mV";
  chart.width = 900;
  chart.height = 260;
  svg::Series ecg;
  ecg.name = "MLII";
  for (size_t i = 0; i < s.millivolts.size(); ++i) {
    ecg.x.push_back(static_cast<double>(s.first_sample + static_cast<int64_t>(i)) / 360.0);
    ecg.y.push_back(s.millivolts[i]);
  }
  chart.series.push_back(ecg);
  for (const auto& [t, label] : s.reference)
    chart.markers.push_back({static_cast<double>(t) / 360.0, std::string(1, label), "#1b5e20"});
  // Ours on the second row, under the reference's letter of the same beat.
  for (const auto& [t, label] : s.test)
    chart.markers.push_back({static_cast<double>(t) / 360.0, std::string(1, label), "#b71c1c", 1});
  return svg::Render(chart);
}

}  // namespace

void WriteEvaluationReport(const Evaluation& ev, const std::string& model_name,
                           const std::string& command, const std::string& path) {
  HtmlReport report("ECG arrhythmia detection: EC57 evaluation");
  report.Paragraph("Command: " + command);
  report.KeyValues({{"model", model_name},
                    {"records", std::to_string(ev.records.size())},
                    {"QRS Se / +P (gross)",
                     FormatStatistic(ev.gross.qrs_se) + " / " + FormatStatistic(ev.gross.qrs_ppv)},
                    {"VEB Se / +P / FPR (gross)", FormatStatistic(ev.gross.veb_se) + " / " +
                                                      FormatStatistic(ev.gross.veb_ppv) + " / " +
                                                      FormatStatistic(ev.gross.veb_fpr)},
                    {"SVEB Se / +P (gross)", FormatStatistic(ev.gross.sveb_se) + " / " +
                                                 FormatStatistic(ev.gross.sveb_ppv)},
                    {"VEB Se / +P (average)", FormatStatistic(ev.average.veb_se) + " / " +
                                                  FormatStatistic(ev.average.veb_ppv)},
                    {"SVEB Se / +P (average)", FormatStatistic(ev.average.sveb_se) + " / " +
                                                   FormatStatistic(ev.average.sveb_ppv)},
                    {"analysis time, one core", FormatNumber(ev.analysis_seconds) + " s for " +
                                                    FormatNumber(ev.signal_seconds) + " s of ECG"}},
                   "Summary (first 5 minutes of each record not scored, as EC57 requires)");
  report.Heading("Per record");
  report.Figure(PerRecordChart(ev, "QRS detection", &Ec57Stats::qrs_se, &Ec57Stats::qrs_ppv, 99.7),
                "QRS Se and +P per record; line: the 99.7 % floor");
  report.Figure(PerRecordChart(ev, "VEB", &Ec57Stats::veb_se, &Ec57Stats::veb_ppv, 85),
                "VEB Se and +P per record (0 where undefined); line: the 85 % Se floor");
  report.Figure(PerRecordChart(ev, "SVEB", &Ec57Stats::sveb_se, &Ec57Stats::sveb_ppv, 75),
                "SVEB Se and +P per record (0 where undefined); line: the 75 % Se floor");
  std::vector<std::vector<std::string>> rows;
  for (const RecordResult& r : ev.records) {
    rows.push_back({r.record, FormatStatistic(r.stats.qrs_se), FormatStatistic(r.stats.qrs_ppv),
                    FormatStatistic(r.stats.veb_se), FormatStatistic(r.stats.veb_ppv),
                    FormatStatistic(r.stats.veb_fpr), FormatStatistic(r.stats.sveb_se),
                    FormatStatistic(r.stats.sveb_ppv)});
  }
  report.Table({"record", "QRS Se", "QRS +P", "VEB Se", "VEB +P", "VEB FPR", "SVEB Se", "SVEB +P"},
               rows);
  report.Heading("Confusion matrix");
  report.Figure(ConfusionHeatmap(ev.gross_counts),
                "Beats by reference class (rows) and test class (columns)");
  report.Heading("Worst errors");
  std::vector<const RecordResult*> worst;
  for (const RecordResult& r : ev.records)
    worst.push_back(&r);
  std::sort(worst.begin(), worst.end(), [](const RecordResult* a, const RecordResult* b) {
    return a->veb_sveb_errors > b->veb_sveb_errors;
  });
  int shown = 0;
  for (const RecordResult* r : worst) {
    for (const ErrorStrip& s : r->strips) {
      if (shown++ >= 8) break;
      report.Figure(StripChart(s), "Green: reference beats (N S V F Q); red: ours (n s v f q)");
    }
  }
  report.Write(path);
}

}  // namespace vigil::ecg
