// The verification and validation report (IEC 62304 5.7 / 9.x evidence): test results with the
// environment they ran in, the traceability summary, the measured evidence of every area
// (docs/evidence/*.json) and the open anomalies, as one self-contained HTML page (+ PDF).
//
//   VnvInputs in;                       // defaults: docs/requirements, docs/risk, docs/evidence
//   in.results = "build/test-results.xml";
//   VnvSummary s = WriteVnvReport(in, "build/vnv");   // vnv.html, vnv.json, vnv.pdf
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace vigil::regulatory {

struct VnvInputs {
  std::string requirements_dir = "docs/requirements";
  std::string risk_dir = "docs/risk";
  std::string evidence_dir = "docs/evidence";
  std::string results;    // ctest JUnit XML; "" shows tests as not yet run
  std::string build_dir;  // for test labels (ctest --show-only); default: the results' folder
  std::string tests;      // or the labels as a saved `ctest --show-only=json-v1` file
  bool pdf = true;        // also print vnv.pdf with headless Chromium
  bool draft = false;     // write even without test results, marked NOT VALID on its first page
};

// Writes out_dir/vnv.html, vnv.json (the summary) and, if asked, vnv.pdf. Returns the summary:
// test counts, trace counts, evidence recorded / missing, open anomalies, and "valid".
//
// A report with no test results (no --results, or a file that holds no test) verifies nothing:
// it throws HostError and writes nothing, unless `draft`, when the report says at the top of its
// first page that it is NOT VALID and why, and the summary has "valid": false.
nlohmann::json WriteVnvReport(const VnvInputs& inputs, const std::string& out_dir);

}  // namespace vigil::regulatory
