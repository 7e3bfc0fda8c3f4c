// `vigil trace`: the traceability matrix of the requirement files against a ctest run.
#include <cstdio>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/command_line.h"
#include "regulatory/evidence/evidence_file.h"
#include "regulatory/regulatory_commands.h"
#include "regulatory/trace/trace_report.h"

namespace vigil {

int RunTraceCommand(int argc, char** argv) {
  using namespace regulatory;
  CommandLine cli("vigil trace",
                  "Trace requirements to tests and results, and hazards to their risk controls.");
  std::string requirements_dir = "docs/requirements", risk_dir, results_path, tests_path, build_dir;
  std::string out_dir = "trace";
  bool strict = false, json = false;
  cli.Option("", "--requirements", &requirements_dir, "DIR", "requirement files (*.yaml)");
  cli.Option("", "--risk", &risk_dir, "DIR",
             "hazard files (*.yaml); default: DIR/../risk of --requirements");
  cli.Option("", "--results", &results_path, "FILE", "ctest JUnit XML (ctest --output-junit)");
  cli.Option(
      "", "--build-dir", &build_dir, "DIR",
      "the ctest build directory to read test labels from; default: the results file's folder");
  cli.Option("", "--tests", &tests_path, "FILE",
             "test labels as `ctest --show-only=json-v1` printed them "
             "(instead of running ctest)");
  cli.Option("-o", "--out", &out_dir, "DIR",
             "where to write trace.html, requirements.csv, hazards.csv, trace.json");
  cli.Flag("", "--strict", &strict, "exit 1 if a requirement marked implemented is not verified");
  cli.Flag("", "--json", &json, "print the summary as JSON");
  cli.Epilog(
      "Tests name the requirements they verify as ctest labels (REQUIREMENTS in vigil_add_gtest).\n"
      "Example: vigil trace --results build/test-results.xml --strict --out build/trace");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (results_path.empty()) {
    std::fprintf(stderr, "vigil trace: --results is required\n(see 'vigil trace --help')\n");
    return 2;
  }
  if (risk_dir.empty()) {
    risk_dir =
        (std::filesystem::path(requirements_dir) / ".." / "risk").lexically_normal().string();
  }
  if (build_dir.empty()) build_dir = std::filesystem::path(results_path).parent_path().string();
  if (build_dir.empty()) build_dir = ".";

  RequirementSet set = LoadRequirementSet(requirements_dir, risk_dir);
  std::vector<TestResult> results = ParseJUnit(ReadFileText(results_path), results_path);
  TestLabels labels = tests_path.empty() ? ReadTestLabels(build_dir)
                                         : ParseCtestTestList(ReadFileText(tests_path), tests_path);
  TraceMatrix matrix = BuildTraceMatrix(set, results, labels);
  WriteTraceReport(matrix, out_dir);

  const TraceCounts& c = matrix.counts;
  std::vector<Finding> violations = matrix.StrictViolations();
  if (json) {
    nlohmann::json summary = TraceSummaryJson(matrix);
    StampProvenance(summary, argc, argv);
    std::printf("%s\n", summary.dump(2).c_str());
  } else {
    std::printf(
        "trace: %d requirements (%d implemented): %d verified, %d failing, %d not verified, "
        "%d untested\n       %d tests (%d without requirements); %d of %d hazards controlled; "
        "%zu findings\n       written to %s/trace.html\n",
        c.requirements, c.implemented, c.verified, c.failing, c.not_verified, c.untested, c.tests,
        static_cast<int>(matrix.tests_without_requirements.size()), c.hazards_controlled, c.hazards,
        matrix.findings.size(), out_dir.c_str());
  }
  if (!strict) return 0;
  for (const Finding& v : violations)
    std::fprintf(stderr, "vigil trace: %s %s\n", v.where.c_str(), v.message.c_str());
  if (!violations.empty()) {
    std::fprintf(stderr,
                 "vigil trace: strict: %zu requirement(s) marked implemented are not verified\n",
                 violations.size());
    return 1;
  }
  return 0;
}

}  // namespace vigil
