#include "regulatory/report/evidence_sections.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <span>
#include <vector>

#include "host/svg_chart.h"

namespace vigil::regulatory {
namespace {

using json = nlohmann::ordered_json;  // tables keep the evidence file's column order

constexpr size_t kMaxRows = 60;  // longer lists are cut, with a note, to keep the PDF readable

std::string Cell(const json& v) {
  if (v.is_number()) return FormatNumber(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_null()) return "";
  std::string text = v.dump();
  return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

bool IsFlatObject(const json& v) {
  if (!v.is_object() || v.empty()) return false;
  for (const auto& [k, item] : v.items()) {
    if (item.is_structured()) return false;
  }
  return true;
}

std::string Provenance(const Evidence& e) {
  return "commit " + (e.commit.empty() ? std::string("not recorded") : e.commit) + ", " +
         (e.date.empty() ? std::string("date not recorded") : e.date);
}

// A caption above a two-column table (a <caption> would be squeezed to the table's width).
void KeyValueTable(HtmlReport& page, const std::vector<std::pair<std::string, std::string>>& items,
                   const std::string& caption) {
  page.Paragraph(caption);
  page.KeyValues(items);
}

// A row's cells: its scalars, and the numbers of the objects inside it as "object.key" (a
// benchmark row {"model", "vigil": {"median_ms", ...}, "onnxruntime": {...}}).
json Flatten(const json& row) {
  json flat = json::object();
  for (const auto& [k, v] : row.items()) {
    if (!v.is_structured()) flat[k] = v;
    if (!v.is_object()) continue;
    for (const auto& [inner, x] : v.items()) {
      if (x.is_number()) flat[k + "." + inner] = x;
    }
  }
  return flat;
}

void TableOfObjects(HtmlReport& page, const std::vector<std::pair<std::string, json>>& rows,
                    const std::string& first_column, const std::string& caption,
                    const std::string& id) {
  std::vector<std::string> header;
  if (!first_column.empty()) header.push_back(first_column);
  for (const auto& [key, row] : rows) {
    for (const auto& [k, unused] : row.items()) {
      if (std::find(header.begin(), header.end(), k) == header.end()) header.push_back(k);
    }
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& [key, row] : rows) {
    if (cells.size() == kMaxRows) break;
    std::vector<std::string> line;
    for (size_t c = 0; c < header.size(); ++c) {
      if (c == 0 && !first_column.empty()) {
        line.push_back(key);
      } else {
        line.push_back(row.contains(header[c]) ? Cell(row[header[c]]) : "");
      }
    }
    cells.push_back(line);
  }
  std::string note = rows.size() > kMaxRows ? " (first " + std::to_string(kMaxRows) + " of " +
                                                  std::to_string(rows.size()) + " rows)"
                                            : "";
  // A few rows of many columns read better turned on their side (and fit a printed page).
  if (header.size() > 8 && cells.size() <= 6) {
    std::vector<std::vector<std::string>> turned(header.size());
    for (size_t c = 0; c < header.size(); ++c) {
      turned[c].push_back(header[c]);
      for (const auto& line : cells)
        turned[c].push_back(line[c]);
    }
    std::vector<std::string> columns = turned.front();
    turned.erase(turned.begin());
    page.Table(columns, turned, caption + note, id);
    return;
  }
  page.Table(header, cells, caption + note, id);
}

void Curves(HtmlReport& page, const json& curves, const std::string& caption) {
  svg::LineChart chart;
  for (const json& c : curves) {
    if (!c.is_object() || !c.contains("x") || !c.contains("y")) continue;
    svg::Series s;
    s.name = c.value("name", "");
    for (const json& x : c["x"])
      s.x.push_back(x.is_number() ? x.get<double>() : 0.0);
    for (const json& y : c["y"])
      s.y.push_back(y.is_number() ? y.get<double>() : 0.0);
    s.markers = true;
    chart.x_label = c.value("x_label", chart.x_label);
    chart.y_label = c.value("y_label", chart.y_label);
    chart.series.push_back(s);
  }
  if (!chart.series.empty()) page.Figure(svg::Render(chart), caption);
}

// A confusion matrix as {labels, matrix} or, as `vigil ecg eval` writes it, {rows, columns, counts}
// (reference classes down, algorithm classes across).
void Confusion(HtmlReport& page, const json& confusion, const std::string& caption) {
  svg::Heatmap map;
  map.x_label = "predicted";
  map.y_label = "reference";
  const char* rows_key = confusion.contains("rows") ? "rows" : "labels";
  const char* columns_key = confusion.contains("columns") ? "columns" : "labels";
  const char* values_key = confusion.contains("counts") ? "counts" : "matrix";
  if (!confusion.contains(rows_key) || !confusion.contains(values_key)) return;
  for (const json& l : confusion[rows_key])
    map.row_labels.push_back(Cell(l));
  for (const json& l : confusion[columns_key])
    map.column_labels.push_back(Cell(l));
  for (const json& row : confusion[values_key]) {
    std::vector<double> values;
    for (const json& v : row)
      values.push_back(v.is_number() ? v.get<double>() : 0.0);
    map.values.push_back(values);
  }
  page.Figure(svg::Render(map), caption);
}

double Number(const json& object, const char* group, const char* key) {
  if (!object.contains(group) || !object[group].is_object()) return NAN;
  const json& g = object[group];
  return g.contains(key) && g[key].is_number() ? g[key].get<double>() : NAN;  // null: undefined
}

// An EC57 statistic as `vigil ecg eval` and `vigil ecg stress` write it: group, key, label.
struct Ec57Statistic {
  const char *group, *key, *label;
};
constexpr Ec57Statistic kEc57Statistics[] = {{"qrs", "se", "QRS Se"},   {"qrs", "ppv", "QRS +P"},
                                             {"veb", "se", "VEB Se"},   {"veb", "ppv", "VEB +P"},
                                             {"sveb", "se", "SVEB Se"}, {"sveb", "ppv", "SVEB +P"}};
// Per record, the beat classes only: QRS detection is near 100 % everywhere and would crowd them.
constexpr std::span<const Ec57Statistic> kBeatClasses(kEc57Statistics + 2, 4);

// EC57 per-record bars (`vigil ecg eval`: per_record [{record, veb: {se, ppv}, sveb: {...}}]).
void PerRecordBars(HtmlReport& page, const json& records, const std::string& caption) {
  svg::BarChart chart;
  chart.y_label = "%";
  chart.y_min = 0;
  chart.y_max = 100;
  chart.width = 960;
  for (const Ec57Statistic& stat : kBeatClasses)
    chart.groups.push_back({stat.label, {}});
  for (const json& r : records) {
    if (!r.is_object() || !r.contains("record")) continue;
    chart.categories.push_back(Cell(r["record"]));
    for (size_t k = 0; k < kBeatClasses.size(); ++k)
      chart.groups[k].second.push_back(Number(r, kBeatClasses[k].group, kBeatClasses[k].key));
  }
  if (!chart.categories.empty())
    page.Figure(svg::Render(chart), caption + " (no bar: undefined, no such beats)");
}

// Se and +P against SNR, one chart per noise (`vigil ecg stress`: results {bw: [{snr_db, qrs, ...}]}).
void NoiseCurves(HtmlReport& page, const json& results, const std::string& caption) {
  for (const auto& [noise, rows] : results.items()) {
    if (!rows.is_array()) continue;
    svg::LineChart chart;
    chart.x_label = "SNR (dB)";
    chart.y_label = "%";
    chart.y_max = 100;
    for (const Ec57Statistic& stat : kEc57Statistics) {
      svg::Series s;
      s.name = stat.label;
      s.markers = true;
      s.dashed = std::string(stat.key) == "ppv";
      for (const json& row : rows) {
        if (!row.is_object() || !row.contains("snr_db") || !row["snr_db"].is_number()) continue;
        s.x.push_back(row["snr_db"].get<double>());
        s.y.push_back(Number(row, stat.group, stat.key));
      }
      chart.series.push_back(s);
    }
    page.Figure(svg::Render(chart), caption + ", noise " + noise);
  }
}

// Dice against each degradation's level (`vigil seg stress`: levels [{kind, level, unit, dice}]).
void DegradationCurves(HtmlReport& page, const json& levels, const std::string& caption) {
  std::vector<std::string> kinds;
  for (const json& l : levels) {
    if (l.is_object() && l.contains("kind") && Cell(l["kind"]) != "none" &&
        std::find(kinds.begin(), kinds.end(), Cell(l["kind"])) == kinds.end())
      kinds.push_back(Cell(l["kind"]));
  }
  for (const std::string& kind : kinds) {
    svg::LineChart chart;
    chart.y_label = "Dice";
    chart.y_min = 0;
    chart.y_max = 1;
    chart.width = 420;
    chart.height = 240;
    svg::Series s;
    s.name = kind;
    s.markers = true;
    for (const json& l : levels) {
      if (!l.is_object() || Cell(l.value("kind", json())) != kind) continue;
      chart.x_label = kind + " (" + Cell(l.value("unit", json())) + ")";
      s.x.push_back(l.value("level", NAN));
      s.y.push_back(l.value("dice", NAN));
    }
    chart.series.push_back(s);
    page.Figure(svg::Render(chart), caption + ": " + kind);
  }
}

// ROC of each image-quality measure (`vigil seg stress`: gate {measure: {auc, points_threshold_fpr_tpr}}).
void GateRoc(HtmlReport& page, const json& gate, const std::string& caption) {
  svg::LineChart chart;
  chart.x_label = "false positive rate";
  chart.y_label = "true positive rate";
  chart.x_min = chart.y_min = 0;
  chart.x_max = chart.y_max = 1;
  std::string aucs;
  for (const auto& [measure, roc] : gate.items()) {
    if (!roc.is_object() || !roc.contains("points_threshold_fpr_tpr")) continue;
    svg::Series s;
    s.name = measure + " (AUC " + Cell(roc.value("auc", json())) + ")";
    aucs += (aucs.empty() ? "; ROC of " : ", ") + s.name;
    for (const json& p : roc["points_threshold_fpr_tpr"]) {
      if (!p.is_array() || p.size() != 3) continue;
      s.x.push_back(p[1].is_number() ? p[1].get<double>() : NAN);
      s.y.push_back(p[2].is_number() ? p[2].get<double>() : NAN);
    }
    chart.series.push_back(s);
  }
  if (!chart.series.empty()) page.Figure(svg::Render(chart), caption + aucs);
}

void CollectAnomalies(const Evidence& e, std::vector<Anomaly>& anomalies) {
  if (!e.problem.empty()) anomalies.push_back({"evidence " + e.name, e.name, e.problem, "open"});
  if (!e.data.is_object() || !e.data.contains("anomalies") || !e.data["anomalies"].is_array())
    return;
  for (const json& a : e.data["anomalies"]) {
    if (!a.is_object()) continue;
    std::string status = a.value("status", "open");
    if (status == "closed") continue;
    anomalies.push_back(
        {"evidence " + e.name, a.value("id", ""),
         a.value("description", "") +
             (a.contains("severity") ? " (severity " + Cell(a["severity"]) + ")" : ""),
         status});
  }
}

void EvidenceSection(HtmlReport& page, const Evidence& e, const std::string& title) {
  page.Heading(title);
  page.Paragraph("From " + e.path + ": " + Provenance(e) + "; recorded by `" +
                 (e.command.empty() ? std::string("(command not recorded)") : e.command) + "`.");
  if (!e.problem.empty()) page.Paragraph("Problem with this evidence: " + e.problem);
  if (!e.data.is_object()) return;
  std::string suffix = " (" + Provenance(e) + ")";
  std::vector<std::pair<std::string, std::string>> scalars;
  for (const auto& [key, value] : e.data.items()) {
    std::string id = "evidence-" + e.name + "-" + key;
    std::string caption = title + ": " + key + suffix;
    if (key == "commit" || key == "date" || key == "command" || key == "anomalies") continue;
    if (!value.is_structured()) {
      scalars.push_back({key, Cell(value)});
    } else if (key == "curves" && value.is_array()) {
      Curves(page, value, caption);
    } else if (key == "confusion" && value.is_object()) {
      Confusion(page, value, caption);
    } else if (key == "results" && value.is_object() && value.begin() != value.end() &&
               value.begin().value().is_array()) {
      NoiseCurves(page, value, caption);
    } else if (key == "gate" && value.is_object()) {
      GateRoc(page, value, caption);
    } else if (IsFlatObject(value)) {
      std::vector<std::pair<std::string, std::string>> items;
      for (const auto& [k, v] : value.items())
        items.push_back({k, Cell(v)});
      KeyValueTable(page, items, caption);
    } else if (value.is_array() && !value.empty() && value[0].is_object()) {
      if (key == "per_record") PerRecordBars(page, value, caption);
      if (key == "levels") DegradationCurves(page, value, caption);
      std::vector<std::pair<std::string, json>> rows;
      for (const json& row : value) {
        if (row.is_object()) rows.push_back({"", Flatten(row)});
      }
      TableOfObjects(page, rows, "", caption, id);
    } else if (value.is_object() && IsFlatObject(value.begin().value())) {
      std::vector<std::pair<std::string, json>> rows;
      for (const auto& [k, row] : value.items()) {
        if (IsFlatObject(row)) rows.push_back({k, row});
      }
      TableOfObjects(page, rows, key, caption, id);
    } else {
      page.Paragraph(key + " = " + Cell(value));
    }
  }
  if (!scalars.empty()) KeyValueTable(page, scalars, title + suffix);
}

bool IsExpected(const std::string& name) {
  for (const ExpectedEvidence& x : ExpectedEvidenceFiles()) {
    if (name == x.name) return true;
  }
  return false;
}

}  // namespace

const std::vector<ExpectedEvidence>& ExpectedEvidenceFiles() {
  static const std::vector<ExpectedEvidence> kFiles = {
      {"ecg_eval_ds2_int8", "ECG arrhythmia detection on MIT-BIH DS2, INT8 model (ANSI/AAMI EC57)",
       "Se and +P of QRS, VEB and SVEB, confusion matrix, per-record results (ECG monitor)"},
      {"ecg_eval_ds2_fp32", "ECG arrhythmia detection on MIT-BIH DS2, FP32 model (ANSI/AAMI EC57)",
       "the same for the float model, against which INT8 is judged"},
      {"ecg_stress_ds2_int8", "ECG detection under noise (MIT-BIH NST)",
       "Se and +P against SNR (ECG monitor)"},
      {"seg_eval_fp32", "Gland segmentation on GlaS testA, FP32 model",
       "Dice, IoU, object F1 (segmentation)"},
      {"seg_eval_int8", "Gland segmentation on GlaS testA, INT8 model",
       "Dice, IoU, object F1 (segmentation)"},
      {"seg_stress_fp32", "Segmentation failure modes",
       "metrics against blur, noise, JPEG, exposure and stain degradation; the focus gate's ROC"},
      {"quant_accuracy", "INT8 against FP32 accuracy",
       "each model's metrics before and after quantization"},
      {"benchmarks", "Latency and memory", "latency, arena and flash per model and target"},
      {"power_cuts", "Power-cut campaign",
       "A/B update interrupted at every write (secure updates)"},
      {"fuzzing", "Fuzzing", "executions, time and crashes per libFuzzer target"},
  };
  return kFiles;
}

void AddEvidenceSections(HtmlReport& page, const std::map<std::string, Evidence>& evidence,
                         std::vector<Anomaly>& anomalies) {
  std::vector<std::vector<std::string>> index;
  for (const ExpectedEvidence& x : ExpectedEvidenceFiles()) {
    auto it = evidence.find(x.name);
    if (it == evidence.end()) {
      index.push_back({x.name, x.title, "not yet recorded", "", ""});
    } else {
      const Evidence& e = it->second;
      index.push_back(
          {x.name, x.title, e.problem.empty() ? "recorded" : "problem", e.commit, e.date});
    }
  }
  for (const auto& [name, e] : evidence) {
    if (!IsExpected(name))
      index.push_back(
          {name, "(other evidence)", e.problem.empty() ? "recorded" : "problem", e.commit, e.date});
  }
  page.Heading("Evidence");
  page.Table({"evidence", "what", "status", "commit", "date"}, index,
             "Measured results (docs/evidence)", "evidence-index");
  for (const ExpectedEvidence& x : ExpectedEvidenceFiles()) {
    auto it = evidence.find(x.name);
    if (it == evidence.end()) {
      page.Heading(x.title);
      page.Paragraph(std::string("Not yet recorded: docs/evidence/") + x.name + ".json (" + x.what +
                     ").");
      continue;
    }
    EvidenceSection(page, it->second, x.title);
    CollectAnomalies(it->second, anomalies);
  }
  for (const auto& [name, e] : evidence) {
    if (IsExpected(name)) continue;
    EvidenceSection(page, e, "Other evidence: " + name);
    CollectAnomalies(e, anomalies);
  }
}

}  // namespace vigil::regulatory
