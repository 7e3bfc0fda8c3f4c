// A readable summary of a verified model file: ops with their shapes and MACs, tensors, parameter
// count, arena size and metadata. What `vigil inspect` prints and what reports cite.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vgl_generated.h"

namespace vigil {

struct OpSummary {
  std::string name, op;
  std::vector<int> inputs, outputs;
  int64_t macs = 0;
};

struct TensorSummary {
  std::string name, dtype, kind;  // kind: input, output, constant, activation
  std::vector<int32_t> shape;
  int64_t bytes = 0;
  int64_t arena_offset = -1;
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
};

struct ModelSummary {
  std::vector<OpSummary> ops;
  std::vector<TensorSummary> tensors;
  int64_t parameters = 0;
  int64_t parameter_bytes = 0;
  int64_t macs = 0;
  uint64_t arena_bytes = 0, activation_bytes = 0;
  size_t file_bytes = 0;
  nlohmann::json metadata = nlohmann::json::object();  // empty when the file carries none
};

// `model` must have passed VerifyModel.
ModelSummary SummarizeModel(const schema::Model& model, size_t file_bytes);
nlohmann::json ToJson(const ModelSummary& summary);

}  // namespace vigil
