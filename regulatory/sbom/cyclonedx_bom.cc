#include "regulatory/sbom/cyclonedx_bom.h"

#include <openssl/rand.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "host/build_info.h"
#include "host/digest.h"
#include "host/error.h"
#include "regulatory/sbom/debian_packages.h"
#include "regulatory/sbom/linked_libraries.h"
#include "regulatory/sbom/model_card.h"
#include "regulatory/sbom/third_party_components.h"

namespace vigil::regulatory {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string RandomUuid() {
  uint8_t b[16];
  if (RAND_bytes(b, sizeof(b)) != 1) throw HostError("OpenSSL RAND_bytes failed");
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

json Property(const std::string& name, const std::string& value) {
  return {{"name", name}, {"value", value}};
}

// A license as a model card or data set source names it: its SPDX id when it is one, else its text.
json NamedLicense(const std::string& license) {
  if (!SpdxId(license).empty()) return json::array({{{"license", {{"id", SpdxId(license)}}}}});
  return json::array({{{"license", {{"name", license.empty() ? "unknown" : license}}}}});
}

json Sha256Of(const std::string& path) {
  return json::array({{{"alg", "SHA-256"}, {"content", Sha256HexOfFile(path)}}});
}

json VigilBinary(const std::string& path, const BuildInfo& info) {
  std::string name = fs::path(path).filename().string();
  bool library = name.ends_with(".a") || name.find(".so") != std::string::npos;
  json properties =
      json::array({Property("vigil:commit", info.commit), Property("vigil:path", path)});
  ElfImage image = library ? ElfImage{} : ReadElfImage(path);
  if (image.elf) {
    // Firmware says what it runs on and, in .comment, which compiler built it.
    properties.push_back(Property("vigil:machine", image.machine));
    properties.push_back(Property("vigil:linking", image.dynamic ? "dynamic" : "static"));
    for (const std::string& compiler : image.compilers)
      properties.push_back(Property("vigil:compiler", compiler));
  }
  return {{"type", image.elf && !image.for_this_host ? "firmware"
                   : library                         ? "library"
                                                     : "application"},
          {"bom-ref", "vigil:" + name},
          {"name", name},
          {"version", info.version},
          {"hashes", Sha256Of(path)},
          {"purl", "pkg:generic/vigil/" + name + "@" + info.version},
          {"properties", properties}};
}

// The tools of every build that made a binary (the host build and the firmware's nested one).
json Toolchains(const SbomInputs& in) {
  std::set<std::string> dirs = {in.build_dir};
  for (const std::string& b : in.binaries) {
    std::string dir = BuildDirOf(b);
    if (!dir.empty()) dirs.insert(dir);
  }
  json tools = json::array();
  std::set<std::string> seen;
  for (const std::string& dir : dirs) {
    for (const json& tool : ToolchainComponents(dir)) {
      if (seen.insert(tool["bom-ref"].get<std::string>()).second) tools.push_back(tool);
    }
  }
  return tools;
}

json DataComponent(const DataSetRef& ref, const std::vector<std::string>& roles,
                   const DataSetSource* source) {
  json c = {
      {"type", "data"},
      {"bom-ref", "data:" + ref.name},
      {"name", ref.name},
      {"licenses", NamedLicense(ref.license)},
      {"externalReferences", json::array({{{"type", "distribution"}, {"url", ref.source_url}}})},
      {"data",
       json::array({{{"type", "dataset"}, {"name", ref.name}, {"description", ref.citation}}})}};
  json props = json::array({Property("vigil:citation", ref.citation),
                            Property("vigil:manifest-sha256", ref.sha256_manifest)});
  for (const std::string& role : roles)
    props.push_back(Property("vigil:used-for", role));
  if (source) props.push_back(Property("vigil:source-folder", source->folder));
  c["properties"] = props;
  return c;
}

json DataComponent(const DataSetSource& s) {
  json c = {
      {"type", "data"},
      {"bom-ref", "data:" + s.folder},
      {"name", s.folder},
      {"description", s.title},
      {"data", json::array({{{"type", "dataset"}, {"name", s.folder}, {"description", s.title}}})},
      {"properties", json::array({Property("vigil:source-folder", s.folder)})}};
  c["licenses"] = NamedLicense(s.license.empty() ? "unknown: see SOURCE.md" : s.license);
  if (!s.manifest_sha256.empty()) {
    c["properties"].push_back(Property("vigil:manifest-sha256", s.manifest_sha256));
  }
  return c;
}

json ModelComponent(const ModelCard& card) {
  json files = json::array();
  for (const ModelFile& f : card.files) {
    files.push_back({{"type", "file"},
                     {"bom-ref", "model:" + card.name + ":" + f.path},
                     {"name", f.path},
                     {"hashes", json::array({{{"alg", "SHA-256"}, {"content", f.sha256}}})}});
  }
  json datasets = json::array();
  std::set<std::string> seen;
  for (const auto& [role, sets] : card.data) {
    for (const DataSetRef& d : sets) {
      if (seen.insert(d.name).second) datasets.push_back({{"ref", "data:" + d.name}});
    }
  }
  json metrics = json::array();
  for (const auto& [key, value] : card.metrics.items()) {
    metrics.push_back(
        {{"type", key}, {"value", value.is_string() ? value.get<std::string>() : value.dump()}});
  }
  json model_card = {
      {"modelParameters", {{"datasets", datasets}}},
      {"considerations",
       {{"useCases", json::array({card.intended_use})},
        {"technicalLimitations", card.limitations}}},
      {"properties", json::array({Property("vigil:training-command", card.training_command),
                                  Property("vigil:seed", card.seed.dump())})}};
  if (!metrics.empty()) model_card["quantitativeAnalysis"] = {{"performanceMetrics", metrics}};
  return {{"type", "machine-learning-model"},
          {"bom-ref", "model:" + card.name},
          {"name", card.name},
          {"version", card.version},
          {"description", card.description},
          {"hashes", json::array({{{"alg", "SHA-256"}, {"content", card.files.front().sha256}}})},
          {"licenses", NamedLicense(card.license)},
          {"components", files},
          {"modelCard", model_card}};
}

// Models and their data sets; data set folders no model names are listed too (validation and
// stress data used by the evaluations).
void AddModelsAndData(const SbomInputs& in, const std::vector<ModelCard>& cards, json& components,
                      json& dependencies) {
  std::vector<DataSetSource> sources = ReadDataSetSources(in.data_dir);
  std::map<std::string, std::pair<DataSetRef, std::vector<std::string>>> refs;
  for (const ModelCard& card : cards) {
    components.push_back(ModelComponent(card));
    json depends = json::array();
    for (const auto& [role, sets] : card.data) {
      for (const DataSetRef& d : sets) {
        refs[d.name].first = d;
        refs[d.name].second.push_back(role);
        depends.push_back("data:" + d.name);
      }
    }
    std::sort(depends.begin(), depends.end());
    depends.erase(std::unique(depends.begin(), depends.end()), depends.end());
    dependencies.push_back({{"ref", "model:" + card.name}, {"dependsOn", depends}});
  }
  std::set<std::string> matched_folders;
  for (const auto& [name, ref_roles] : refs) {
    const DataSetSource* source = nullptr;
    for (const DataSetSource& s : sources) {
      // A card names its data set by the manifest it was checked against, or by folder name.
      if (s.manifest_sha256 == ref_roles.first.sha256_manifest || s.folder == name) source = &s;
    }
    if (source) matched_folders.insert(source->folder);
    components.push_back(DataComponent(ref_roles.first, ref_roles.second, source));
  }
  for (const DataSetSource& s : sources) {
    if (!matched_folders.count(s.folder) && !refs.count(s.folder))
      components.push_back(DataComponent(s));
  }
}

void AddPackageFiles(const std::string& package_dir, json& components) {
  if (!fs::is_directory(package_dir)) throw HostError(package_dir + ": no such package folder");
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(package_dir)) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    std::string rel = fs::relative(f, package_dir).string();
    components.push_back(
        {{"type", "file"}, {"bom-ref", "package:" + rel}, {"name", rel}, {"hashes", Sha256Of(f)}});
  }
}

}  // namespace

json BuildCycloneDxBom(const SbomInputs& in) {
  if (in.binaries.empty()) throw HostError("no binaries to describe");
  BuildInfo info = CurrentBuildInfo();
  json components = json::array(), dependencies = json::array();
  std::vector<std::string> binary_refs;
  for (const std::string& b : in.binaries) {
    components.push_back(VigilBinary(b, info));
    binary_refs.push_back("vigil:" + fs::path(b).filename().string());
  }
  ThirdParty third_party = FindThirdPartyComponents(in.build_dir, in.binaries);
  for (const json& c : third_party.components)
    components.push_back(c);
  for (const auto& [binary_ref, refs] : third_party.used_by) {
    dependencies.push_back({{"ref", binary_ref}, {"dependsOn", refs}});
  }
  std::vector<ModelCard> cards = ReadModelCards(in.models_dir);
  if (!in.package_dir.empty()) {
    if (fs::exists(in.package_dir + "/model_card.json"))
      cards.push_back(ReadModelCard(in.package_dir + "/model_card.json"));
    AddPackageFiles(in.package_dir, components);
  }
  AddModelsAndData(in, cards, components, dependencies);

  json metadata = {
      {"timestamp", info.generated_at},
      {"tools",
       {{"components",
         json::array(
             {{{"type", "application"}, {"name", "vigil sbom"}, {"version", info.version}}})}}},
      {"component",
       {{"type", "application"},
        {"bom-ref", "vigil"},
        {"name", "Vigil"},
        {"version", info.version},
        {"description", "Medical-device ML toolkit: compiler, runtime, applications, updates"},
        {"properties", json::array({Property("vigil:commit", info.commit),
                                    Property("vigil:compiler", info.compiler),
                                    Property("vigil:build-type", info.build_type)})}}},
      {"properties", json::array({Property("vigil:build-dir", in.build_dir),
                                  Property("vigil:third-party-source", third_party.how_found)})}};
  dependencies.push_back({{"ref", "vigil"}, {"dependsOn", binary_refs}});
  return {{"$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json"},
          {"bomFormat", "CycloneDX"},
          {"specVersion", "1.5"},
          {"serialNumber", "urn:uuid:" + RandomUuid()},
          {"version", 1},
          {"metadata", metadata},
          {"components", components},
          {"dependencies", dependencies},
          {"formulation",
           json::array({{{"bom-ref", "formula:build"}, {"components", Toolchains(in)}}})}};
}

}  // namespace vigil::regulatory
