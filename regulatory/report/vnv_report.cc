#include "regulatory/report/vnv_report.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>

#include "host/atomic_file.h"
#include "host/build_info.h"
#include "host/error.h"
#include "host/html_report.h"
#include "host/svg_chart.h"
#include "regulatory/report/evidence_sections.h"
#include "regulatory/report/headless_chromium.h"
#include "regulatory/trace/trace_report.h"

namespace vigil::regulatory {
namespace {

namespace fs = std::filesystem;

std::string OsName() {
  std::ifstream os_release("/etc/os-release");
  for (std::string line; std::getline(os_release, line);) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      std::string name = line.substr(12);
      if (name.size() >= 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
      return name;
    }
  }
  return "unknown";
}

void Environment(HtmlReport& page, const BuildInfo& info, const TestSuiteSummary& suite) {
  page.Heading("Scope and environment");
  page.KeyValues({{"product", "Vigil " + info.version},
                  {"source commit", info.commit},
                  {"compiler", info.compiler},
                  {"build type", info.build_type},
                  {"operating system", OsName()},
                  {"host", info.host},
                  {"tests run at (ctest, local time)",
                   suite.timestamp.empty() ? "not recorded" : suite.timestamp},
                  {"report generated (UTC)", info.generated_at}},
                 "Build and test environment");
}

// Passed / failed / skipped / not run per test suite (the part of a test name before the '.').
void TestResults(HtmlReport& page, const std::vector<TestResult>& results, const BuildInfo& info) {
  std::map<std::string, std::array<int, 4>> suites;
  std::map<std::string, double> seconds;
  for (const TestResult& r : results) {
    std::string suite = r.name.substr(0, r.name.find('.'));
    ++suites[suite][static_cast<size_t>(r.outcome)];
    seconds[suite] += r.seconds;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [suite, n] : suites) {
    rows.push_back({suite, std::to_string(n[0]), std::to_string(n[1]), std::to_string(n[2]),
                    std::to_string(n[3]), FormatNumber(seconds[suite])});
  }
  page.Heading("Test results");
  page.Table({"test suite", "passed", "failed", "skipped", "not run", "seconds"}, rows,
             "ctest results by suite (commit " + info.commit + ")", "test-results");
  rows.clear();
  for (const TestResult& r : results) {
    if (r.outcome == TestOutcome::kFailed || r.outcome == TestOutcome::kSkipped) {
      rows.push_back({r.name, OutcomeName(r.outcome), r.message});
    }
  }
  if (rows.empty()) rows.push_back({"none", "", ""});
  page.Table({"test", "result", "ctest's reason"}, rows, "Tests that failed or were skipped",
             "tests-not-passed");
}

void Traceability(HtmlReport& page, const TraceMatrix& m, const BuildInfo& info) {
  const TraceCounts& c = m.counts;
  page.Heading("Traceability");
  page.Table(
      {"requirements", "implemented", "verified", "failing", "not verified", "untested"},
      {{std::to_string(c.requirements), std::to_string(c.implemented), std::to_string(c.verified),
        std::to_string(c.failing), std::to_string(c.not_verified), std::to_string(c.untested)}},
      "Requirement verification (commit " + info.commit + "); the full matrix: vigil trace",
      "trace-summary");
  std::vector<std::vector<std::string>> rows;
  for (const HazardTrace& h : m.hazards) {
    std::string controls;
    for (const ControlTrace& ct : h.controls)
      controls += (controls.empty() ? "" : ", ") + ct.requirement_id;
    rows.push_back({h.hazard.id, h.hazard.hazard, h.hazard.severity, h.hazard.RiskLevel(),
                    controls.empty() ? "none" : controls, h.Controlled() ? "yes" : "no"});
  }
  page.Table(
      {"hazard", "what", "severity", "initial risk", "risk controls", "all controls verified"},
      rows, "Hazards and their verified risk controls", "hazard-summary");
}

std::vector<Anomaly> TraceAnomalies(const TraceMatrix& m, const std::vector<TestResult>& results) {
  std::vector<Anomaly> anomalies;
  for (const TestResult& r : results) {
    if (r.outcome == TestOutcome::kFailed)
      anomalies.push_back({"test", r.name, "failed: " + r.message, "open"});
  }
  for (const Finding& f : m.StrictViolations())
    anomalies.push_back({"trace", f.where, f.message, "open"});
  for (const HazardTrace& h : m.hazards) {
    if (h.Controlled()) continue;
    anomalies.push_back({"risk", h.hazard.id,
                         h.controls.empty() ? "no risk control requirement yet"
                                            : "not every risk control is verified",
                         "open"});
  }
  return anomalies;
}

}  // namespace

nlohmann::json WriteVnvReport(const VnvInputs& in, const std::string& out_dir) {
  BuildInfo info = CurrentBuildInfo();
  TestSuiteSummary suite;
  std::vector<TestResult> results;
  TestLabels labels;
  if (!in.results.empty()) {
    results = ParseJUnit(ReadFileText(in.results), in.results, &suite);
    std::string build_dir =
        in.build_dir.empty() ? fs::path(in.results).parent_path().string() : in.build_dir;
    labels = in.tests.empty() ? ReadTestLabels(build_dir.empty() ? "." : build_dir)
                              : ParseCtestTestList(ReadFileText(in.tests), in.tests);
  }
  // Why the report would verify nothing; empty when it is a report of results.
  std::string invalid = in.results.empty()
                            ? "no test results were given (run ./test.sh, or pass --results FILE)"
                        : results.empty() ? "no test results: " + in.results + " holds no test"
                                          : "";
  if (!invalid.empty() && !in.draft) {
    throw HostError("no V&V report written: " + invalid +
                    "; a report without test results verifies nothing (--draft writes one marked "
                    "NOT VALID)");
  }
  TraceMatrix matrix =
      BuildTraceMatrix(LoadRequirementSet(in.requirements_dir, in.risk_dir), results, labels);
  std::map<std::string, Evidence> evidence = LoadEvidenceDir(in.evidence_dir);

  HtmlReport page("Vigil verification and validation report");
  if (!invalid.empty()) {
    page.RawHtml(
        "<p id='not-valid' style='border:3px solid #b71c1c;color:#b71c1c;padding:8px 12px;"
        "font-size:18px;font-weight:bold'>DRAFT &mdash; NOT VALID as verification "
        "evidence: " +
        HtmlEscape(invalid) + ".</p>");
  }
  page.Paragraph(
      "Every number below names the commit and date it came from. Test results and traceability "
      "come from this build; measured results come from docs/evidence, each with its own "
      "provenance.");
  Environment(page, info, suite);
  TestResults(page, results, info);
  Traceability(page, matrix, info);
  std::vector<Anomaly> anomalies = TraceAnomalies(matrix, results);
  AddEvidenceSections(page, evidence, anomalies);
  std::vector<std::vector<std::string>> rows;
  for (const Anomaly& a : anomalies)
    rows.push_back({a.source, a.id, a.description, a.status});
  if (rows.empty()) rows.push_back({"none", "", "", ""});
  page.Heading("Open anomalies");
  page.Table(
      {"source", "item", "description", "status"}, rows,
      "Failing tests, unverified requirements and controls, and anomalies the evidence records",
      "anomalies");

  fs::create_directories(out_dir);
  page.Write(out_dir + "/vnv.html");
  nlohmann::json summary = TraceSummaryJson(matrix);
  summary["evidence"] = nlohmann::json::object();
  for (const ExpectedEvidence& x : ExpectedEvidenceFiles()) {
    auto it = evidence.find(x.name);
    summary["evidence"][x.name] = it == evidence.end()         ? "not yet recorded"
                                  : it->second.problem.empty() ? "recorded"
                                                               : "problem: " + it->second.problem;
  }
  summary["open_anomalies"] = anomalies.size();
  summary["valid"] = invalid.empty();
  if (!invalid.empty()) summary["not_valid_because"] = invalid;
  summary["commit"] = info.commit;
  summary["date"] = info.generated_at;
  WriteFileAtomic(out_dir + "/vnv.json", summary.dump(2) + "\n");
  if (in.pdf) PrintToPdf(out_dir + "/vnv.html", out_dir + "/vnv.pdf");
  return summary;
}

}  // namespace vigil::regulatory
