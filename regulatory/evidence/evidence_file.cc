#include "regulatory/evidence/evidence_file.h"

#include <filesystem>

#include "host/atomic_file.h"
#include "host/build_info.h"
#include "host/error.h"

namespace vigil::regulatory {

void StampProvenance(nlohmann::json& object, int argc, char** argv) {
  std::string command = "vigil";
  for (int i = 0; i < argc; ++i)
    command += std::string(" ") + argv[i];
  object.update(EvidenceProvenance(command));
}

Evidence ReadEvidence(const std::string& path) {
  Evidence e;
  e.path = path;
  e.name = std::filesystem::path(path).stem().string();
  try {
    e.data = nlohmann::ordered_json::parse(ReadFileText(path));
  } catch (const HostError& error) {
    e.problem = error.what();
    return e;
  } catch (const nlohmann::ordered_json::exception& error) {
    e.problem = path + ": not valid JSON: " + error.what();
    return e;
  }
  if (!e.data.is_object()) {
    e.problem = path + ": not a JSON object";
    return e;
  }
  for (auto [key, out] :
       {std::pair{"commit", &e.commit}, {"date", &e.date}, {"command", &e.command}}) {
    if (e.data.contains(key) && e.data[key].is_string()) *out = e.data[key].get<std::string>();
    if (out->empty())
      e.problem += std::string(e.problem.empty() ? "" : "; ") + "no \"" + key + "\"";
  }
  return e;
}

std::map<std::string, Evidence> LoadEvidenceDir(const std::string& dir) {
  std::map<std::string, Evidence> all;
  if (!std::filesystem::is_directory(dir)) return all;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      Evidence e = ReadEvidence(entry.path().string());
      all[e.name] = std::move(e);
    }
  }
  return all;
}

}  // namespace vigil::regulatory
