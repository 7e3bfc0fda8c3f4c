#include "ota/package/update_manifest.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "host/error.h"

namespace vigil::ota {
namespace {

using Json = nlohmann::json;

const Json& Get(const Json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key))
    throw HostError(where + ": missing '" + key + "'");
  return object[key];
}

std::string GetString(const Json& object, const char* key, const std::string& where) {
  const Json& v = Get(object, key, where);
  if (!v.is_string() || v.get<std::string>().empty())
    throw HostError(where + ": '" + key + "' must be a non-empty string");
  return v.get<std::string>();
}

int64_t GetInteger(const Json& object, const char* key, const std::string& where) {
  const Json& v = Get(object, key, where);
  if (!v.is_number_integer()) throw HostError(where + ": '" + key + "' must be an integer");
  return v.get<int64_t>();
}

PinnedTarget ReadPinned(const Json& v, const std::string& inner) {
  PinnedTarget pinned{GetString(v, "target", inner), GetString(v, "sha256", inner)};
  if (pinned.sha256.size() != 64 ||
      pinned.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw HostError(inner + ": 'sha256' must be 64 lowercase hex digits");
  }
  return pinned;
}

PinnedTarget GetPinned(const Json& object, const char* key, const std::string& where) {
  return ReadPinned(Get(object, key, where), where + "." + key);
}

Json PinnedJson(const PinnedTarget& p) {
  return {{"target", p.target}, {"sha256", p.sha256}};
}

std::vector<PinnedInput> GetInputs(const Json& set, const std::string& where) {
  const Json& list = Get(set, "inputs", where);
  if (!list.is_array() || list.empty()) {
    throw HostError(where + ": 'inputs' must be a non-empty list, one entry per model input");
  }
  std::vector<PinnedInput> inputs;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string inner = where + ".inputs[" + std::to_string(i) + "]";
    PinnedInput input{GetString(list[i], "name", inner), ReadPinned(list[i], inner)};
    for (const PinnedInput& earlier : inputs) {
      if (earlier.name == input.name)
        throw HostError(inner + ": input '" + input.name + "' listed twice");
    }
    inputs.push_back(std::move(input));
  }
  return inputs;
}

}  // namespace

const char* MetricName(Metric metric) {
  switch (metric) {
    case Metric::kAccuracy: return "accuracy";
    case Metric::kSensitivity: return "sensitivity";
    case Metric::kDice: return "dice";
  }
  return "?";
}

Metric ParseMetric(const std::string& name) {
  for (Metric m : {Metric::kAccuracy, Metric::kSensitivity, Metric::kDice}) {
    if (name == MetricName(m)) return m;
  }
  throw HostError("unknown metric '" + name + "' (accuracy, sensitivity, dice)");
}

double ParseDecimal(const std::string& text, const std::string& field) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value)) {
    throw HostError(field + ": '" + text + "' is not a decimal number");
  }
  return value;
}

std::string FormatDecimal(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

Json UpdateManifest::ToCustom() const {
  Json inputs = Json::array();
  for (const PinnedInput& input : validation_inputs) {
    Json entry = PinnedJson(input.file);
    entry["name"] = input.name;
    inputs.push_back(entry);
  }
  Json vigil = {
      {"model_version", model_version},
      {"release_counter", release_counter},
      {"hardware_ids", hardware_ids},
      {"runtime_abi_version", runtime_abi_version},
      {"change_control_id", change_control_id},
      {"validation_set", {{"inputs", inputs}, {"expected", PinnedJson(validation_expected)}}},
      {"acceptance",
       {{"metric", MetricName(acceptance.metric)},
        {"class", acceptance.class_index},
        {"floor", FormatDecimal(acceptance.floor)},
        {"max_drop", FormatDecimal(acceptance.max_drop)}}}};
  if (config) vigil["config"] = PinnedJson(*config);
  return {{"vigil", vigil}};
}

UpdateManifest UpdateManifest::FromCustom(const Json& custom, const std::string& model_target) {
  std::string where = model_target + " custom.vigil";
  if (!custom.is_object() || !custom.contains("vigil")) {
    throw HostError(model_target +
                    ": targets metadata carries no Vigil update manifest (custom.vigil)");
  }
  const Json& v = custom["vigil"];
  UpdateManifest m;
  m.model_target = model_target;
  m.model_version = GetString(v, "model_version", where);
  m.release_counter = GetInteger(v, "release_counter", where);
  if (m.release_counter < 0) throw HostError(where + ": release_counter must not be negative");
  const Json& ids = Get(v, "hardware_ids", where);
  if (!ids.is_array() || ids.empty())
    throw HostError(where + ": 'hardware_ids' must be a non-empty list");
  for (const Json& id : ids) {
    if (!id.is_string()) throw HostError(where + ": 'hardware_ids' must hold strings");
    m.hardware_ids.push_back(id.get<std::string>());
  }
  m.runtime_abi_version = GetInteger(v, "runtime_abi_version", where);
  m.change_control_id = GetString(v, "change_control_id", where);
  const Json& set = Get(v, "validation_set", where);
  m.validation_inputs = GetInputs(set, where + ".validation_set");
  m.validation_expected = GetPinned(set, "expected", where + ".validation_set");
  const Json& a = Get(v, "acceptance", where);
  std::string aw = where + ".acceptance";
  m.acceptance.metric = ParseMetric(GetString(a, "metric", aw));
  m.acceptance.class_index = static_cast<int>(GetInteger(a, "class", aw));
  m.acceptance.floor = ParseDecimal(GetString(a, "floor", aw), aw + ".floor");
  m.acceptance.max_drop = ParseDecimal(GetString(a, "max_drop", aw), aw + ".max_drop");
  if (m.acceptance.floor < 0 || m.acceptance.floor > 1)
    throw HostError(aw + ": floor must be within [0, 1]");
  if (m.acceptance.max_drop < 0 || m.acceptance.max_drop > 1)
    throw HostError(aw + ": max_drop must be within [0, 1]");
  if (m.acceptance.class_index < 0) throw HostError(aw + ": class must not be negative");
  if (v.contains("config")) m.config = GetPinned(v, "config", where);
  return m;
}

}  // namespace vigil::ota
