// Model cards (models/<name>/model_card.json) and data set sources (<data>/<set>/SOURCE.md), the
// provenance the SBOM gives each shipped model and the data it was trained, calibrated and
// validated on.
//
// model_card.json keys (the project's shared convention): name, version, description, intended_use,
// limitations (a string or a list), license, files [{path, sha256}], training_data / calibration_data / validation_data
// [{name, source_url, license, citation, sha256_manifest}], training_command, seed, metrics {}.
//
//   ModelCard card = ReadModelCard("models/ecg_cnn/model_card.json");   // checks every file hash
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vigil::regulatory {

struct DataSetRef {
  std::string name, source_url, license, citation;
  std::string sha256_manifest;  // SHA-256 of the set's SHA256SUMS file
};

struct ModelFile {
  std::string path;  // as written in the card, relative to the card's folder
  std::string sha256;
};

struct ModelCard {
  std::string dir;  // the folder holding model_card.json
  std::string name, version, description, intended_use, license;
  std::vector<std::string> limitations;
  std::string training_command;
  nlohmann::json seed;
  std::vector<ModelFile> files;
  // "training", "calibration", "validation" -> data sets
  std::map<std::string, std::vector<DataSetRef>> data;
  nlohmann::json metrics;
};

// Reads and checks a card: every key present, every listed file present with the SHA-256 the card
// states. Throws HostError naming the card and the problem.
ModelCard ReadModelCard(const std::string& path);

// Every models_dir/*/model_card.json, by folder name; an absent models_dir gives none.
std::vector<ModelCard> ReadModelCards(const std::string& models_dir);

// A data set folder as shared/data holds it: SOURCE.md (title, license, citation) and SHA256SUMS.
struct DataSetSource {
  std::string folder;           // e.g. "mitdb"
  std::string title;            // SOURCE.md's first heading
  std::string license;          // the SOURCE.md line naming the license, without markup
  std::string manifest_sha256;  // SHA-256 of SHA256SUMS; empty if there is none
};

std::vector<DataSetSource> ReadDataSetSources(const std::string& data_dir);

}  // namespace vigil::regulatory
