// Evidence files: measured results that docs and the V&V report cite, as docs/evidence/<name>.json.
//
// Each file is one JSON object written by a `vigil ... --json` command, with the provenance of its
// numbers at the top level: "commit" (source commit of the build that measured them), "date" (UTC,
// ISO 8601) and "command" (the command line that produced it), then the data.
//
//   nlohmann::json j = {{"dice", 0.87}};
//   StampProvenance(j, argc, argv);                  // adds commit, date, command
//   std::map<std::string, Evidence> all = LoadEvidenceDir("docs/evidence");
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace vigil::regulatory {

struct Evidence {
  std::string name;  // file stem, e.g. "ecg_eval_ds2_int8"
  std::string path;
  std::string commit, date, command;
  nlohmann::ordered_json data;  // the whole object, keys in the file's order
  std::string problem;          // non-empty when the file is unreadable or lacks its provenance
};

// Adds "commit" and "date" from CurrentBuildInfo() and "command" from argv (words joined by
// spaces).
void StampProvenance(nlohmann::json& object, int argc, char** argv);

// Reads one evidence file; never throws for bad content (the report shows the problem instead).
Evidence ReadEvidence(const std::string& path);
// Every *.json of dir by stem; an absent dir gives an empty map.
std::map<std::string, Evidence> LoadEvidenceDir(const std::string& dir);

}  // namespace vigil::regulatory
