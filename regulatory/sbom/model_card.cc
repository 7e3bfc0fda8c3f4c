#include "regulatory/sbom/model_card.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"
#include "regulatory/sbom/debian_packages.h"

namespace vigil::regulatory {
namespace {

namespace fs = std::filesystem;

std::string String(const nlohmann::json& card, const char* key, const std::string& where) {
  if (!card.contains(key) || !card[key].is_string())
    throw HostError(where + ": missing \"" + key + "\" (a string)");
  return card[key].get<std::string>();
}

// A string, or a list of strings (one limitation per item).
std::vector<std::string> Strings(const nlohmann::json& card, const char* key,
                                 const std::string& where) {
  const nlohmann::json* value = card.contains(key) ? &card[key] : nullptr;
  if (value && value->is_string()) return {value->get<std::string>()};
  bool all_strings = value && value->is_array() && !value->empty() &&
                     std::all_of(value->begin(), value->end(),
                                 [](const nlohmann::json& v) { return v.is_string(); });
  if (!all_strings)
    throw HostError(where + ": missing \"" + key + "\" (a string or a list of strings)");
  return value->get<std::vector<std::string>>();
}

std::vector<DataSetRef> DataSets(const nlohmann::json& card, const char* key,
                                 const std::string& where) {
  if (!card.contains(key) || !card[key].is_array())
    throw HostError(where + ": missing \"" + key + "\" (a list)");
  std::vector<DataSetRef> sets;
  for (const nlohmann::json& d : card[key]) {
    std::string w = where + ": " + key;
    if (!d.is_object()) throw HostError(w + ": each data set is an object");
    sets.push_back({String(d, "name", w), String(d, "source_url", w), String(d, "license", w),
                    String(d, "citation", w), String(d, "sha256_manifest", w)});
  }
  return sets;
}

// "**Open Data Commons Attribution License v1.0** (ODC-By 1.0), https://..." -> without the **
// markup.
std::string WithoutMarkup(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '*'), text.end());
  size_t start = text.find_first_not_of(" -");
  return start == std::string::npos ? "" : text.substr(start);
}

// "Open Data Commons Attribution License v1.0 (ODC-By 1.0), https://..." -> "ODC-By-1.0" when the
// parenthesis names an SPDX license; otherwise the text without a trailing comma or URL.
std::string SpdxFromProse(const std::string& text) {
  size_t open = text.find('('), close = text.find(')', open);
  if (open != std::string::npos && close != std::string::npos) {
    std::string candidate = text.substr(open + 1, close - open - 1);
    std::replace(candidate.begin(), candidate.end(), ' ', '-');
    if (!SpdxId(candidate).empty()) return SpdxId(candidate);
  }
  std::string cut = text.substr(0, text.find(", http"));
  while (!cut.empty() && (cut.back() == ',' || cut.back() == ' '))
    cut.pop_back();
  return cut;
}

}  // namespace

ModelCard ReadModelCard(const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(ReadFileText(path));
  } catch (const nlohmann::json::exception& e) {
    throw HostError(path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw HostError(path + ": a model card is a JSON object");
  ModelCard card;
  card.dir = fs::path(path).parent_path().string();
  card.name = String(j, "name", path);
  card.version = String(j, "version", path);
  card.description = String(j, "description", path);
  card.intended_use = String(j, "intended_use", path);
  card.limitations = Strings(j, "limitations", path);
  card.license = String(j, "license", path);
  card.training_command = String(j, "training_command", path);
  card.seed = j.value("seed", nlohmann::json());
  card.metrics = j.value("metrics", nlohmann::json::object());
  for (const char* role : {"training", "calibration", "validation"}) {
    card.data[role] = DataSets(j, (std::string(role) + "_data").c_str(), path);
  }
  if (!j.contains("files") || !j["files"].is_array() || j["files"].empty()) {
    throw HostError(path + ": missing \"files\" (a list of {path, sha256})");
  }
  for (const nlohmann::json& f : j["files"]) {
    if (!f.is_object()) throw HostError(path + ": files: each entry is an object");
    ModelFile file{String(f, "path", path + ": files"), String(f, "sha256", path + ": files")};
    std::string actual = Sha256HexOfFile((fs::path(card.dir) / file.path).string());
    if (actual != file.sha256) {
      throw HostError(path + ": " + file.path + " has SHA-256 " + actual + " but the card states " +
                      file.sha256);
    }
    card.files.push_back(file);
  }
  return card;
}

std::vector<ModelCard> ReadModelCards(const std::string& models_dir) {
  std::vector<std::string> paths;
  if (fs::is_directory(models_dir)) {
    for (const auto& entry : fs::directory_iterator(models_dir)) {
      if (fs::exists(entry.path() / "model_card.json"))
        paths.push_back((entry.path() / "model_card.json").string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<ModelCard> cards;
  for (const std::string& p : paths)
    cards.push_back(ReadModelCard(p));
  return cards;
}

std::vector<DataSetSource> ReadDataSetSources(const std::string& data_dir) {
  std::vector<DataSetSource> sources;
  if (!fs::is_directory(data_dir)) return sources;
  for (const auto& entry : fs::directory_iterator(data_dir)) {
    fs::path source_md = entry.path() / "SOURCE.md";
    if (!fs::exists(source_md)) continue;
    DataSetSource s;
    s.folder = entry.path().filename().string();
    std::istringstream lines(ReadFileText(source_md.string()));
    // The license is a "License: ..." line (PhysioNet sets) or, under a "## License ..." heading,
    // the first quoted line of the terms (GlaS, which has no named license).
    bool in_license_section = false;
    for (std::string line; std::getline(lines, line);) {
      if (s.title.empty() && line.rfind("# ", 0) == 0) s.title = line.substr(2);
      if (line.rfind("#", 0) == 0) in_license_section = line.find("License") != std::string::npos;
      if (!s.license.empty()) continue;
      if (line.find("License:") != std::string::npos) {
        s.license = WithoutMarkup(line.substr(line.find("License:") + 8));
      } else if (in_license_section && line.rfind("> ", 0) == 0) {
        s.license = line.substr(2);
        s.license.erase(std::remove(s.license.begin(), s.license.end(), '"'), s.license.end());
      }
    }
    s.license = SpdxFromProse(s.license);
    if (fs::exists(entry.path() / "SHA256SUMS"))
      s.manifest_sha256 = Sha256HexOfFile((entry.path() / "SHA256SUMS").string());
    sources.push_back(std::move(s));
  }
  std::sort(sources.begin(), sources.end(),
            [](const DataSetSource& a, const DataSetSource& b) { return a.folder < b.folder; });
  return sources;
}

}  // namespace vigil::regulatory
