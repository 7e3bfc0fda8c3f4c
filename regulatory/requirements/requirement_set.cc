#include "regulatory/requirements/requirement_set.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil::regulatory {
namespace {

const std::set<std::string> kRequirementKeys = {"id",     "title",   "text",      "safety_class",
                                                "status", "hazards", "rationale", "notes"};
const std::set<std::string> kHazardKeys = {"id",       "hazard",      "cause",    "harm",
                                           "severity", "probability", "controls", "notes"};

// Errors name the file, the entry and (when yaml-cpp knows it) the line.
std::string Where(const std::string& source, const YAML::Node& node, const std::string& entry) {
  std::string where = source;
  if (node.Mark().line >= 0) where += ":" + std::to_string(node.Mark().line + 1);
  if (!entry.empty()) where += ": " + entry;
  return where;
}

std::string RequiredString(const YAML::Node& entry, const char* key, const std::string& where) {
  YAML::Node value = entry[key];
  if (!value || !value.IsScalar() || value.Scalar().empty()) {
    throw HostError(where + ": missing '" + key + "' (a non-empty string)");
  }
  return value.Scalar();
}

std::vector<std::string> IdList(const YAML::Node& entry, const char* key, const std::string& where,
                                bool (*valid)(std::string_view)) {
  std::vector<std::string> ids;
  YAML::Node list = entry[key];
  if (!list) return ids;
  if (!list.IsSequence()) throw HostError(where + ": '" + key + "' must be a list of IDs");
  for (const YAML::Node& item : list) {
    if (!item.IsScalar() || !valid(item.Scalar())) {
      throw HostError(where + ": '" + key + "' holds '" + (item.IsScalar() ? item.Scalar() : "?") +
                      "', which is not a valid ID");
    }
    ids.push_back(item.Scalar());
  }
  return ids;
}

void WarnUnknownKeys(RequirementSet& set, const YAML::Node& entry,
                     const std::set<std::string>& known, const std::string& where) {
  for (const auto& kv : entry) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    if (!known.count(key))
      set.load_warnings.push_back({where, "unknown field '" + key + "' ignored"});
  }
}

template <size_t N>
std::string OneOf(const YAML::Node& entry, const char* key, const char* const (&allowed)[N],
                  const std::string& where) {
  std::string value = RequiredString(entry, key, where);
  for (const char* a : allowed) {
    if (value == a) return value;
  }
  std::string list;
  for (const char* a : allowed)
    list += std::string(list.empty() ? "" : ", ") + a;
  throw HostError(where + ": " + key + " '" + value + "' is not one of: " + list);
}

YAML::Node ParseTopLevel(const std::string& yaml, const std::string& source, const char* list_key) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw HostError(source + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  if (!root.IsMap() || !root[list_key] || !root[list_key].IsSequence()) {
    throw HostError(source + ": expected a map with a '" + list_key + "' list");
  }
  return root;
}

int Rank(const std::string& value, const char* const* scale) {
  for (int i = 0; i < 5; ++i) {
    if (value == scale[i]) return i + 1;
  }
  return 0;
}

}  // namespace

const char* SafetyClassName(SafetyClass c) {
  return c == SafetyClass::kA ? "A" : c == SafetyClass::kB ? "B" : "C";
}

const char* StatusName(RequirementStatus status) {
  return status == RequirementStatus::kImplemented ? "implemented" : "planned";
}

bool IsRequirementId(std::string_view text) {
  static const std::regex pattern("VIG-[A-Z]{2,5}-[0-9]{3,4}");
  return std::regex_match(text.begin(), text.end(), pattern);
}

bool IsHazardId(std::string_view text) {
  static const std::regex pattern("HAZ-([A-Z]{2,5}-)?[0-9]{3,4}");
  return std::regex_match(text.begin(), text.end(), pattern);
}

int Hazard::RiskIndex() const {
  return Rank(severity, kSeverities) * Rank(probability, kProbabilities);
}

std::string Hazard::RiskLevel() const {
  int index = RiskIndex();
  return index <= 4 ? "acceptable" : index <= 9 ? "ALARP" : "unacceptable";
}

void AddRequirementsYaml(RequirementSet& set, const std::string& yaml, const std::string& source) {
  YAML::Node root = ParseTopLevel(yaml, source, "requirements");
  std::string area = std::filesystem::path(source).stem().string();
  if (root["area"] && root["area"].IsScalar()) area = root["area"].Scalar();
  for (const YAML::Node& entry : root["requirements"]) {
    if (!entry.IsMap()) throw HostError(Where(source, entry, "") + ": each requirement is a map");
    std::string id = RequiredString(entry, "id", Where(source, entry, ""));
    std::string where = Where(source, entry, id);
    if (!IsRequirementId(id)) throw HostError(where + ": ID must look like VIG-<AREA>-<NNN>");
    if (set.FindRequirement(id)) {
      throw HostError(where + ": duplicate ID (also in " + set.FindRequirement(id)->source + ")");
    }
    Requirement r;
    r.id = id;
    r.title = RequiredString(entry, "title", where);
    r.text = RequiredString(entry, "text", where);
    static constexpr const char* kClasses[] = {"A", "B", "C"};
    std::string c = OneOf(entry, "safety_class", kClasses, where);
    r.safety_class = c == "A" ? SafetyClass::kA : c == "B" ? SafetyClass::kB : SafetyClass::kC;
    static constexpr const char* kStatuses[] = {"implemented", "planned"};
    r.status = OneOf(entry, "status", kStatuses, where) == "implemented"
                   ? RequirementStatus::kImplemented
                   : RequirementStatus::kPlanned;
    r.hazards = IdList(entry, "hazards", where, IsHazardId);
    r.area = area;
    r.source = source;
    WarnUnknownKeys(set, entry, kRequirementKeys, where);
    set.requirements.push_back(std::move(r));
  }
}

void AddHazardsYaml(RequirementSet& set, const std::string& yaml, const std::string& source) {
  YAML::Node root = ParseTopLevel(yaml, source, "hazards");
  for (const YAML::Node& entry : root["hazards"]) {
    if (!entry.IsMap()) throw HostError(Where(source, entry, "") + ": each hazard is a map");
    std::string id = RequiredString(entry, "id", Where(source, entry, ""));
    std::string where = Where(source, entry, id);
    if (!IsHazardId(id))
      throw HostError(where + ": ID must look like HAZ-<NNN> or HAZ-<AREA>-<NNN>");
    if (set.FindHazard(id)) {
      throw HostError(where + ": duplicate ID (also in " + set.FindHazard(id)->source + ")");
    }
    Hazard h;
    h.id = id;
    h.hazard = RequiredString(entry, "hazard", where);
    h.cause = RequiredString(entry, "cause", where);
    h.harm = RequiredString(entry, "harm", where);
    h.severity = OneOf(entry, "severity", kSeverities, where);
    h.probability = OneOf(entry, "probability", kProbabilities, where);
    h.controls = IdList(entry, "controls", where, IsRequirementId);
    h.source = source;
    WarnUnknownKeys(set, entry, kHazardKeys, where);
    set.hazards.push_back(std::move(h));
  }
}

const Requirement* RequirementSet::FindRequirement(std::string_view id) const {
  for (const Requirement& r : requirements) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const Hazard* RequirementSet::FindHazard(std::string_view id) const {
  for (const Hazard& h : hazards) {
    if (h.id == id) return &h;
  }
  return nullptr;
}

std::vector<std::string> RequirementSet::ControlsOf(const Hazard& hazard) const {
  std::set<std::string> ids(hazard.controls.begin(), hazard.controls.end());
  for (const Requirement& r : requirements) {
    if (std::find(r.hazards.begin(), r.hazards.end(), hazard.id) != r.hazards.end())
      ids.insert(r.id);
  }
  return {ids.begin(), ids.end()};
}

std::vector<Finding> RequirementSet::Findings() const {
  std::vector<Finding> findings = load_warnings;
  for (const Requirement& r : requirements) {
    for (const std::string& h : r.hazards) {
      if (!FindHazard(h))
        findings.push_back({r.id, "names hazard " + h + ", which no risk file defines"});
    }
  }
  for (const Hazard& h : hazards) {
    std::vector<std::string> controls = ControlsOf(h);
    if (controls.empty()) findings.push_back({h.id, "has no risk control requirement"});
    bool severe = Rank(h.severity, kSeverities) >= 3;  // serious injury or worse
    for (const std::string& id : controls) {
      const Requirement* r = FindRequirement(id);
      if (!r) {
        findings.push_back(
            {h.id, "is controlled by " + id + ", which no requirements file defines"});
      } else if (severe && r->safety_class != SafetyClass::kC) {
        findings.push_back({id, std::string("is safety class ") + SafetyClassName(r->safety_class) +
                                    " but controls " + h.id + " (" + h.severity +
                                    "): IEC 62304 4.3 calls for class C"});
      }
    }
  }
  return findings;
}

RequirementSet LoadRequirementSet(const std::string& requirements_dir,
                                  const std::string& risk_dir) {
  namespace fs = std::filesystem;
  auto yaml_files = [](const std::string& dir) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".yaml")
        files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
  };
  if (!fs::is_directory(requirements_dir)) {
    throw HostError(requirements_dir + ": no such requirements directory");
  }
  RequirementSet set;
  for (const std::string& f : yaml_files(requirements_dir))
    AddRequirementsYaml(set, ReadFileText(f), f);
  if (fs::is_directory(risk_dir)) {
    for (const std::string& f : yaml_files(risk_dir))
      AddHazardsYaml(set, ReadFileText(f), f);
  }
  return set;
}

}  // namespace vigil::regulatory
