// The software bill of materials of a Vigil build, as CycloneDX 1.5 JSON
// (https://cyclonedx.org/docs/1.5/json/), for FDA premarket cybersecurity submissions (524B).
//
// It lists: Vigil's own binaries with their SHA-256; every third-party library in them, found from
// the binaries (ldd) and the Ninja build (static archives, headers of header-only libraries), with
// its Debian package name, version, purl and license; the toolchain that built them (in
// `formulation`); each model of models/*/model_card.json as a `machine-learning-model` component
// with its files' hashes and model-card data; and the data sets the models were trained,
// calibrated and validated on (and those under the data folder) as `data` components with their
// provenance and license. With a package folder, every file in it, hashed.
//
//   SbomInputs in;
//   in.build_dir = "build";
//   in.binaries = {"build/bin/vigil"};
//   nlohmann::json bom = BuildCycloneDxBom(in);
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vigil::regulatory {

struct SbomInputs {
  std::string build_dir = "build";    // CMake + Ninja build (toolchain, link inputs)
  std::vector<std::string> binaries;  // Vigil's shipped binaries, under build_dir
  std::string models_dir = "models";  // models/<name>/model_card.json
  std::string data_dir;               // data set folders with SOURCE.md; "" for none
  std::string package_dir;            // an update package to list file by file; "" for none
};

nlohmann::json BuildCycloneDxBom(const SbomInputs& inputs);

}  // namespace vigil::regulatory
