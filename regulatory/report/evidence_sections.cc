#include "regulatory/report/evidence_sections.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

void Confusion(HtmlReport& page, const json& confusion, const std::string& caption) {
  if (!confusion.contains("labels") || !confusion.contains("matrix")) return;
  svg::Heatmap map;
  map.x_label = "predicted";
  map.y_label = "reference";
  for (const json& l : confusion["labels"])
    map.row_labels.push_back(Cell(l));
  map.column_labels = map.row_labels;
  for (const json& row : confusion["matrix"]) {
    std::vector<double> values;
    for (const json& v : row)
      values.push_back(v.is_number() ? v.get<double>() : 0.0);
    map.values.push_back(values);
  }
  page.Figure(svg::Render(map), caption);
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
    } else if (IsFlatObject(value)) {
      std::vector<std::pair<std::string, std::string>> items;
      for (const auto& [k, v] : value.items())
        items.push_back({k, Cell(v)});
      KeyValueTable(page, items, caption);
    } else if (value.is_array() && !value.empty() && value[0].is_object()) {
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

std::string FormatNumber(double value) {
  char text[32];
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof(text), "%.0f", value);
  } else {
    std::snprintf(text, sizeof(text), "%.4g", value);
  }
  return text;
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
