#include "regulatory/trace/trace_report.h"

#include <filesystem>
#include <map>

#include "host/atomic_file.h"
#include "host/html_report.h"
#include "host/svg_chart.h"

namespace vigil::regulatory {
namespace {

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string row;
  for (size_t i = 0; i < fields.size(); ++i)
    row += (i ? "," : "") + CsvField(fields[i]);
  return row + "\n";
}

std::string TestsCell(const std::vector<TestTrace>& tests) {
  std::string cell;
  for (const TestTrace& t : tests) {
    cell += (cell.empty() ? "" : "; ") + t.name + " (" + OutcomeName(t.outcome) + ")";
  }
  return cell.empty() ? "none" : cell;
}

// Verdicts per area, as grouped bars: how far each area's requirements are verified.
std::string VerdictChart(const TraceMatrix& matrix) {
  std::map<std::string, std::map<Verdict, double>> by_area;
  for (const RequirementTrace& r : matrix.requirements)
    by_area[r.requirement.area][r.verdict] += 1;
  svg::BarChart chart;
  chart.title = "Requirements by area and verdict";
  chart.y_label = "requirements";
  for (const auto& [area, unused] : by_area)
    chart.categories.push_back(area);
  for (Verdict v :
       {Verdict::kVerified, Verdict::kFailing, Verdict::kNotVerified, Verdict::kUntested}) {
    std::vector<double> counts;
    for (auto& [area, verdicts] : by_area)
      counts.push_back(verdicts[v]);
    chart.groups.push_back({VerdictName(v), counts});
  }
  chart.y_min = 0;
  return svg::Render(chart);
}

std::vector<std::vector<std::string>> FindingRows(const std::vector<Finding>& findings) {
  std::vector<std::vector<std::string>> rows;
  for (const Finding& f : findings)
    rows.push_back({f.where, f.message});
  if (rows.empty()) rows.push_back({"none", ""});
  return rows;
}

}  // namespace

nlohmann::json TraceSummaryJson(const TraceMatrix& m) {
  const TraceCounts& c = m.counts;
  nlohmann::json j = {{"tests",
                       {{"total", c.tests},
                        {"passed", c.passed},
                        {"failed", c.failed},
                        {"skipped", c.skipped},
                        {"not_run", c.not_run}}},
                      {"requirements",
                       {{"total", c.requirements},
                        {"implemented", c.implemented},
                        {"verified", c.verified},
                        {"failing", c.failing},
                        {"not_verified", c.not_verified},
                        {"untested", c.untested}}},
                      {"hazards", {{"total", c.hazards}, {"controlled", c.hazards_controlled}}},
                      {"tests_without_requirements", m.tests_without_requirements}};
  auto findings = [](const std::vector<Finding>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const Finding& f : list)
      out.push_back({{"where", f.where}, {"message", f.message}});
    return out;
  };
  j["strict_violations"] = findings(m.StrictViolations());
  j["findings"] = findings(m.findings);
  j["untested_requirements"] = nlohmann::json::array();
  for (const RequirementTrace& r : m.requirements) {
    if (r.verdict == Verdict::kUntested) j["untested_requirements"].push_back(r.requirement.id);
  }
  return j;
}

std::string RequirementsCsv(const TraceMatrix& m) {
  std::string csv =
      CsvRow({"requirement", "title", "safety_class", "status", "verdict", "test", "result"});
  for (const RequirementTrace& r : m.requirements) {
    std::vector<std::string> head = {r.requirement.id, r.requirement.title,
                                     SafetyClassName(r.requirement.safety_class),
                                     StatusName(r.requirement.status), VerdictName(r.verdict)};
    if (r.tests.empty()) {
      head.insert(head.end(), {"", ""});
      csv += CsvRow(head);
    }
    for (const TestTrace& t : r.tests) {
      std::vector<std::string> row = head;
      row.insert(row.end(), {t.name, OutcomeName(t.outcome)});
      csv += CsvRow(row);
    }
  }
  return csv;
}

std::string HazardsCsv(const TraceMatrix& m) {
  std::string csv = CsvRow({"hazard", "severity", "probability", "risk_index", "risk_level",
                            "control", "control_verdict", "hazard_controlled"});
  for (const HazardTrace& h : m.hazards) {
    std::vector<std::string> head = {h.hazard.id, h.hazard.severity, h.hazard.probability,
                                     std::to_string(h.hazard.RiskIndex()), h.hazard.RiskLevel()};
    std::string controlled = h.Controlled() ? "yes" : "no";
    if (h.controls.empty())
      csv += CsvRow({head[0], head[1], head[2], head[3], head[4], "", "", controlled});
    for (const ControlTrace& c : h.controls) {
      csv += CsvRow({head[0], head[1], head[2], head[3], head[4], c.requirement_id,
                     VerdictName(c.verdict), controlled});
    }
  }
  return csv;
}

void WriteTraceReport(const TraceMatrix& m, const std::string& out_dir) {
  std::filesystem::create_directories(out_dir);
  const TraceCounts& c = m.counts;
  HtmlReport page("Vigil traceability matrix");
  page.KeyValues({{"requirements", std::to_string(c.requirements) + " (" +
                                       std::to_string(c.implemented) + " implemented)"},
                  {"verified / failing / not verified / untested",
                   std::to_string(c.verified) + " / " + std::to_string(c.failing) + " / " +
                       std::to_string(c.not_verified) + " / " + std::to_string(c.untested)},
                  {"tests: passed / failed / skipped / not run",
                   std::to_string(c.passed) + " / " + std::to_string(c.failed) + " / " +
                       std::to_string(c.skipped) + " / " + std::to_string(c.not_run)},
                  {"hazards with every control verified",
                   std::to_string(c.hazards_controlled) + " of " + std::to_string(c.hazards)},
                  {"strict violations", std::to_string(m.StrictViolations().size())}},
                 "Summary");
  page.Figure(VerdictChart(m), "Verdict of each area's requirements");
  page.Heading("Strict violations (implemented but not verified)");
  page.Table({"requirement", "problem"}, FindingRows(m.StrictViolations()), "",
             "strict-violations");

  std::vector<std::vector<std::string>> rows;
  for (const RequirementTrace& r : m.requirements) {
    rows.push_back({r.requirement.id, r.requirement.title,
                    SafetyClassName(r.requirement.safety_class), StatusName(r.requirement.status),
                    TestsCell(r.tests), VerdictName(r.verdict)});
  }
  page.Heading("Requirement -> tests -> result");
  page.Table({"requirement", "title", "class", "status", "tests (result)", "verdict"}, rows, "",
             "requirements");

  rows.clear();
  for (const HazardTrace& h : m.hazards) {
    std::string controls;
    for (const ControlTrace& ct : h.controls) {
      controls +=
          (controls.empty() ? "" : "; ") + ct.requirement_id + " (" + VerdictName(ct.verdict) + ")";
    }
    rows.push_back({h.hazard.id, h.hazard.hazard, h.hazard.cause,
                    h.hazard.severity + " / " + h.hazard.probability, h.hazard.RiskLevel(),
                    controls.empty() ? "none" : controls, h.Controlled() ? "yes" : "no"});
  }
  page.Heading("Hazard -> risk control -> verification");
  page.Table({"hazard", "what", "cause", "severity / probability", "initial risk",
              "controls (verdict)", "controlled"},
             rows, "", "hazards");

  rows.clear();
  for (const RequirementTrace& r : m.requirements) {
    if (r.verdict == Verdict::kUntested) {
      rows.push_back({r.requirement.id, r.requirement.title, StatusName(r.requirement.status)});
    }
  }
  if (rows.empty()) rows.push_back({"none", "", ""});
  page.Heading("Requirements without tests");
  page.Table({"requirement", "title", "status"}, rows, "", "untested");
  rows.clear();
  for (const std::string& t : m.tests_without_requirements)
    rows.push_back({t});
  if (rows.empty()) rows.push_back({"none"});
  page.Heading("Tests without requirements");
  page.Table({"test"}, rows, "", "tests-without-requirements");
  page.Heading("Findings");
  page.Table({"where", "finding"}, FindingRows(m.findings), "", "findings");

  page.Write(out_dir + "/trace.html");
  WriteFileAtomic(out_dir + "/requirements.csv", RequirementsCsv(m));
  WriteFileAtomic(out_dir + "/hazards.csv", HazardsCsv(m));
  WriteFileAtomic(out_dir + "/trace.json", TraceSummaryJson(m).dump(2) + "\n");
}

}  // namespace vigil::regulatory
