// The evidence sections of the V&V report: each measured result other areas record as
// docs/evidence/<name>.json, shown with the commit, date and command it came from.
//
// Rendering goes by the shape of each value, so an area can add keys without changing this code
// (docs/regulatory.md lists the keys each expected file should carry):
//   "curves": [{name, x: [], y: [], x_label?, y_label?}]       -> a line chart
//   "confusion": {labels: [], matrix: [[]]}                     -> a heat map
//   a list of objects (nested numbers become "object.key")      -> a table, one row per object
//   an object of flat objects                                   -> a table, one row per key
//   an object of numbers/strings, or top-level scalars          -> a key/value table
//   "anomalies": [{id, description, severity?, status?}]        -> the report's open anomalies
// A file that is expected but absent shows "not yet recorded"; one that is unreadable or lacks its
// provenance is shown with the problem and listed as an anomaly.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "host/html_report.h"
#include "regulatory/evidence/evidence_file.h"

namespace vigil::regulatory {

struct ExpectedEvidence {
  const char* name;   // file stem in docs/evidence
  const char* title;  // section heading
  const char* what;   // one line: what it shows and who records it
};

// The evidence the V&V report looks for, in report order.
const std::vector<ExpectedEvidence>& ExpectedEvidenceFiles();

struct Anomaly {
  std::string source, id, description, status;
};

// Adds the evidence index table (id "evidence-index") and one section per expected file, then any
// other files under "Other evidence". Appends the anomalies the files report or cause.
void AddEvidenceSections(HtmlReport& page, const std::map<std::string, Evidence>& evidence,
                         std::vector<Anomaly>& anomalies);

}  // namespace vigil::regulatory
