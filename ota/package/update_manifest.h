// UpdateManifest: what a Vigil update package says about its model, carried in the TUF targets
// metadata as the custom fields of the model's target (so it is signed by the targets role).
//
//   "model.vgl": {"length": ..., "hashes": {...}, "custom": {"vigil": {
//       "model_version": "1.2.0", "release_counter": 3, "hardware_ids": ["wpm-r2"],
//       "runtime_abi_version": 1, "change_control_id": "CC-0042",
//       "validation_set": {"inputs": [{"name": "beat", "target": "validation/input-0.npy",
//                                      "sha256": "..."}, ...],
//                          "expected": {"target": "validation/expected.npy", "sha256": "..."}},
//       "acceptance": {"metric": "accuracy", "class": 0, "floor": "0.90", "max_drop": "0.02"},
//       "config": {"target": "config.json", "sha256": "..."}}}}
//
// Contract
//  - FromCustom rejects a manifest that is incomplete or inconsistent (unknown metric, floor
//    outside [0, 1], negative drop, no hardware id) with a HostError naming the field.
//  - Fractions (floor, max_drop) are decimal strings: TUF's canonical JSON has no floats.
//  - The validation set format (docs/updates.md): one .npy per model input, listed in the model's
//    input order under the input's name, each float32 [N, <the input's shape>]; expected.npy holds
//    N integer labels for "accuracy" and "sensitivity", or N masks (0/1, each the size of one
//    output channel plane) for "dice". Whether the arrays fit the model is the validation gate's
//    check (ota/device/validation_gate.h); FromCustom checks that the list is well formed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/npy.h"

namespace vigil::ota {

enum class Metric { kAccuracy, kSensitivity, kDice };
const char* MetricName(Metric metric);
Metric ParseMetric(const std::string& name);  // throws HostError for an unknown name

struct AcceptanceCriteria {
  Metric metric = Metric::kAccuracy;
  int class_index = 0;  // sensitivity: the class whose recall counts; dice: the foreground class
  double floor = 0;     // the metric must reach this
  double max_drop = 0;  // and may fall at most this far below the running model's metric
};

struct PinnedTarget {
  std::string target;  // TUF target path
  std::string sha256;
};

struct PinnedInput {
  std::string name;  // the model input the samples are for
  PinnedTarget file;
};

// A validation set as read from a package: one array per model input, in the model's input order.
struct ValidationInput {
  std::string name;
  NpyArray samples;
};
struct ValidationSet {
  std::vector<ValidationInput> inputs;
  NpyArray expected;
};

struct UpdateManifest {
  std::string model_target = "model.vgl";
  std::string model_version;
  int64_t release_counter = 0;
  std::vector<std::string> hardware_ids;
  int64_t runtime_abi_version = 0;
  std::string change_control_id;
  std::vector<PinnedInput> validation_inputs;  // one per model input, in the model's order
  PinnedTarget validation_expected;
  AcceptanceCriteria acceptance;
  std::optional<PinnedTarget> config;

  nlohmann::json ToCustom() const;
  static UpdateManifest FromCustom(const nlohmann::json& custom, const std::string& model_target);
};

// "0.9" -> 0.9 for the decimal strings of the manifest; throws HostError naming `field`.
double ParseDecimal(const std::string& text, const std::string& field);
std::string FormatDecimal(double value);

}  // namespace vigil::ota
