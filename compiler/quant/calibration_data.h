// Calibration and evaluation data for a model's float32 inputs, from .npy files.
//
// DATA is either one .npy holding N samples of the model's (only) input, shaped [N, *input] or, for
// an input with batch 1, [N, *input[1:]]; or a directory: with one `<input name>.npy` per model input
// (names sanitised to [A-Za-z0-9_]) for several inputs, else every .npy in it (sorted) holds samples
// of the single input. Empty, constant or misshapen data is an error that says which.
#pragma once

#include <string>
#include <vector>

#include "host/loaded_model.h"

namespace vigil::quant {

struct InputSpec {
  std::string name;
  std::vector<int64_t> shape;
};

// samples[i][k] is sample i of input k, flattened.
struct SampleSet {
  std::vector<std::vector<std::vector<float>>> samples;
};

std::vector<InputSpec> ModelInputs(const LoadedModel& model);
SampleSet LoadSamples(const std::string& data_path, const std::vector<InputSpec>& inputs,
                      const std::string& purpose);

}  // namespace vigil::quant
