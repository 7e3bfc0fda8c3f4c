// The design history file's requirements and hazards, loaded from docs/requirements/*.yaml and
// docs/risk/*.yaml (formats: docs/requirements/README.md and docs/risk/README.md).
//
//   RequirementSet set = LoadRequirementSet("docs/requirements", "docs/risk");
//   for (const Hazard& h : set.hazards)
//     for (const std::string& id : set.ControlsOf(h)) ...   // requirement IDs controlling h
//
// A malformed file (not YAML, a missing field, an unknown safety class, a bad or duplicate ID) is
// rejected with a HostError naming the file, the entry and what is wrong. Links between files (a
// hazard controlled by a requirement no file defines yet) are not load errors, because each area
// merges its files at its own pace: Findings() lists them as warnings for the trace matrix.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::regulatory {

enum class SafetyClass { kA, kB, kC };  // IEC 62304 software safety class
enum class RequirementStatus { kImplemented, kPlanned };

const char* SafetyClassName(SafetyClass c);        // "A", "B", "C"
const char* StatusName(RequirementStatus status);  // "implemented", "planned"

struct Requirement {
  std::string id;  // VIG-<AREA>-<NNN>
  std::string title, text;
  SafetyClass safety_class = SafetyClass::kC;
  RequirementStatus status = RequirementStatus::kPlanned;
  std::vector<std::string> hazards;  // HAZ ids this requirement helps control
  std::string area;                  // the file's `area:` (or its stem)
  std::string source;                // the file it came from
};

// ISO 14971 scales, lowest first; the risk index is (severity rank) x (probability rank), 1..25.
inline constexpr const char* kSeverities[] = {"negligible", "minor", "serious", "critical",
                                              "catastrophic"};
inline constexpr const char* kProbabilities[] = {"improbable", "remote", "occasional", "probable",
                                                 "frequent"};

struct Hazard {
  std::string id;  // HAZ-<NNN> (project) or HAZ-<AREA>-<NNN> (an area's file)
  std::string hazard, cause, harm;
  std::string severity, probability;  // one of kSeverities / kProbabilities
  std::vector<std::string> controls;  // requirement IDs
  std::string source;

  int RiskIndex() const;
  // "acceptable" (index <= 4), "ALARP" (5..9) or "unacceptable" (>= 10) before any control: the
  // project's risk acceptability policy (docs/regulatory.md).
  std::string RiskLevel() const;
};

// A problem that is not a load error: a dangling link, an unknown field, a safety class lower than
// the hazards it controls call for.
struct Finding {
  std::string where;  // an ID or a file
  std::string message;
};

struct RequirementSet {
  std::vector<Requirement> requirements;
  std::vector<Hazard> hazards;
  std::vector<Finding> load_warnings;  // unknown fields seen while loading

  const Requirement* FindRequirement(std::string_view id) const;
  const Hazard* FindHazard(std::string_view id) const;
  // The hazard's own `controls` plus every requirement that names it under `hazards`, sorted.
  std::vector<std::string> ControlsOf(const Hazard& hazard) const;
  // Load warnings, dangling links both ways, and safety classes below what a hazard calls for.
  std::vector<Finding> Findings() const;
};

bool IsRequirementId(std::string_view text);
bool IsHazardId(std::string_view text);

// Adds the entries of one file's text to `set`; `source` names the file in errors.
void AddRequirementsYaml(RequirementSet& set, const std::string& yaml, const std::string& source);
void AddHazardsYaml(RequirementSet& set, const std::string& yaml, const std::string& source);

// Every *.yaml in requirements_dir (requirements) and risk_dir (hazards), in name order. A missing
// requirements_dir is an error; a missing risk_dir means no hazards yet.
RequirementSet LoadRequirementSet(const std::string& requirements_dir, const std::string& risk_dir);

}  // namespace vigil::regulatory
