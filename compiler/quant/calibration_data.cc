#include "compiler/quant/calibration_data.h"

#include <algorithm>
#include <filesystem>

#include "host/error.h"
#include "host/npy.h"

namespace vigil::quant {
namespace {

namespace fs = std::filesystem;

std::string Sanitize(const std::string& name) {
  std::string s;
  for (char c : name)
    s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

// Splits an array into samples of `input`: [N, *shape] or, when shape[0] is 1, [N, *shape[1:]].
std::vector<std::vector<float>> SplitSamples(const NpyArray& array, const InputSpec& input,
                                             const std::string& file) {
  std::vector<int64_t> per_sample = input.shape;
  const bool batch_one = !per_sample.empty() && per_sample[0] == 1;
  std::vector<int64_t> tail =
      batch_one ? std::vector<int64_t>(per_sample.begin() + 1, per_sample.end()) : per_sample;
  int64_t count = -1;
  if (array.shape.size() == per_sample.size() + 1 &&
      std::equal(per_sample.begin(), per_sample.end(), array.shape.begin() + 1)) {
    count = array.shape[0];
  } else if (batch_one && array.shape.size() == tail.size() + 1 &&
             std::equal(tail.begin(), tail.end(), array.shape.begin() + 1)) {
    count = array.shape[0];
  } else if (array.shape == per_sample) {
    count = 1;
  }
  if (count < 0) {
    throw HostError(file + ": shape " + ShapeToString(array.shape) +
                    " does not hold samples of input '" + input.name + "' " +
                    ShapeToString(input.shape) +
                    " (expected [N, ...] with the input's shape after N)");
  }
  std::vector<float> values = array.ToFloat();
  const size_t size = static_cast<size_t>(values.size() / std::max<int64_t>(count, 1));
  std::vector<std::vector<float>> samples;
  for (int64_t i = 0; i < count; ++i) {
    samples.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(i * size),
                         values.begin() + static_cast<std::ptrdiff_t>((i + 1) * size));
  }
  return samples;
}

}  // namespace

std::vector<InputSpec> ModelInputs(const LoadedModel& model) {
  std::vector<InputSpec> inputs;
  for (int i = 0; i < model.interpreter().input_count(); ++i) {
    TensorView v = model.interpreter().input(i);
    inputs.push_back({model.interpreter().input_name(i),
                      std::vector<int64_t>(v.shape.dims, v.shape.dims + v.shape.rank)});
  }
  return inputs;
}

SampleSet LoadSamples(const std::string& path, const std::vector<InputSpec>& inputs,
                      const std::string& purpose) {
  if (!fs::exists(path)) throw HostError(purpose + " data " + path + " does not exist");
  std::vector<std::vector<std::vector<float>>> per_input(inputs.size());
  if (fs::is_directory(path)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(path)) {
      if (e.path().extension() == ".npy") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    bool named =
        inputs.size() > 1 || std::any_of(files.begin(), files.end(), [&](const fs::path& f) {
          return f.stem().string() == Sanitize(inputs[0].name);
        });
    if (named) {
      for (size_t k = 0; k < inputs.size(); ++k) {
        fs::path file = fs::path(path) / (Sanitize(inputs[k].name) + ".npy");
        if (!fs::exists(file))
          throw HostError(purpose + " data: " + file.string() +
                          " is missing (one file per model input)");
        per_input[k] = SplitSamples(ReadNpy(file.string()), inputs[k], file.string());
      }
    } else {
      for (const fs::path& f : files) {
        auto samples = SplitSamples(ReadNpy(f.string()), inputs[0], f.string());
        per_input[0].insert(per_input[0].end(), samples.begin(), samples.end());
      }
    }
  } else {
    if (inputs.size() != 1)
      throw HostError(purpose + " data: the model has " + std::to_string(inputs.size()) +
                      " inputs; give a directory with one <input>.npy each");
    per_input[0] = SplitSamples(ReadNpy(path), inputs[0], path);
  }
  SampleSet set;
  const size_t count = per_input[0].size();
  if (count == 0) throw HostError(purpose + " data " + path + " is empty: no samples");
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (per_input[k].size() != count)
      throw HostError(purpose + " data: inputs have different sample counts");
    float first = per_input[k][0].empty() ? 0.0f : per_input[k][0][0];
    bool constant = true;
    for (const auto& sample : per_input[k]) {
      for (float v : sample)
        constant = constant && v == first;
    }
    if (constant) {
      throw HostError(purpose + " data for input '" + inputs[k].name +
                      "' is constant (every value is " + std::to_string(first) +
                      "): it says nothing about the ranges the model will see");
    }
  }
  set.samples.resize(count);
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < inputs.size(); ++k)
      set.samples[i].push_back(std::move(per_input[k][i]));
  }
  return set;
}

}  // namespace vigil::quant
