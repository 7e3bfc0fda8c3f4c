// `vigil report`: reports assembled from the project's evidence. `vigil report vnv` writes the
// verification and validation report.
#include <cstdio>
#include <filesystem>

#include "host/command_line.h"
#include "regulatory/evidence/evidence_file.h"
#include "regulatory/regulatory_commands.h"
#include "regulatory/report/headless_chromium.h"
#include "regulatory/report/vnv_report.h"

namespace vigil {
namespace {

int RunVnvCommand(int argc, char** argv) {
  CommandLine cli(
      "vigil report vnv",
      "Write the verification and validation report: test results and environment, traceability,\n"
      "the measured evidence of docs/evidence/*.json and the open anomalies (HTML, and PDF\n"
      "when chromium is installed).");
  regulatory::VnvInputs in;
  std::string out_dir = "vnv";
  bool no_pdf = false, json = false;
  cli.Option("", "--out", &out_dir, "DIR",
             "where to write vnv.html, vnv.pdf, vnv.json (default: vnv)");
  cli.Option("", "--results", &in.results, "FILE",
             "ctest JUnit XML (default: build/test-results.xml if present)");
  cli.Option("", "--build-dir", &in.build_dir, "DIR", "ctest build directory for test labels");
  cli.Option("", "--tests", &in.tests, "FILE",
             "test labels saved from `ctest --show-only=json-v1`");
  cli.Option("", "--requirements", &in.requirements_dir, "DIR",
             "requirement files (default: docs/requirements)");
  cli.Option("", "--risk", &in.risk_dir, "DIR", "hazard files (default: docs/risk)");
  cli.Option("", "--evidence", &in.evidence_dir, "DIR", "evidence files (default: docs/evidence)");
  cli.Flag("", "--no-pdf", &no_pdf, "skip the PDF (written when Debian's chromium is installed)");
  cli.Flag("", "--json", &json, "print the summary as JSON");
  cli.Flag("", "--draft", &in.draft,
           "write the report even without test results, marked NOT VALID on its first page");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (!cli.Given("--results") && std::filesystem::exists("build/test-results.xml")) {
    in.results = "build/test-results.xml";
  }
  // The PDF is a copy of the HTML report for those who file PDFs: without Chromium (e.g. after
  // `./setup.sh --minimal`) the report is still written, and the missing PDF is said out loud.
  in.pdf = !no_pdf;
  if (in.pdf && !regulatory::ChromiumAvailable()) {
    std::fprintf(stderr,
                 "vigil report vnv: chromium is not installed: writing the HTML report without "
                 "vnv.pdf (./setup.sh installs chromium; --no-pdf skips the PDF quietly)\n");
    in.pdf = false;
  }
  nlohmann::json summary = regulatory::WriteVnvReport(in, out_dir);
  if (json) {
    regulatory::StampProvenance(summary, argc, argv);
    std::printf("%s\n", summary.dump(2).c_str());
  } else {
    int recorded = 0;
    for (const auto& [name, status] : summary["evidence"].items())
      recorded += status == "recorded";
    std::printf(
        "report vnv: %d tests, %d of %d requirements verified, %d of %zu evidence files recorded, "
        "%d open anomalies%s\n            -> %s/vnv.html%s\n",
        summary["tests"]["total"].get<int>(), summary["requirements"]["verified"].get<int>(),
        summary["requirements"]["total"].get<int>(), recorded, summary["evidence"].size(),
        summary["open_anomalies"].get<int>(),
        summary["valid"].get<bool>() ? "" : "; DRAFT, NOT VALID (no test results)", out_dir.c_str(),
        in.pdf ? " and vnv.pdf" : "");
  }
  return 0;
}

}  // namespace

int RunReportCommand(int argc, char** argv) {
  return DispatchSubcommand(
      "vigil report",
      {{"vnv", "the verification and validation report (HTML + PDF)", RunVnvCommand}}, argc, argv);
}

}  // namespace vigil
