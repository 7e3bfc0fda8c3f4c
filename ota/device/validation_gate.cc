#include "ota/device/validation_gate.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "host/aligned_buffer.h"
#include "host/error.h"
#include "vigil/interpreter.h"

namespace vigil::ota {
namespace {

int64_t PerSample(const NpyArray& array, const std::string& name) {
  if (array.shape.empty() || array.shape[0] < 1)
    throw HostError(name + ": needs a leading sample axis with N >= 1");
  int64_t n = 1;
  for (size_t i = 1; i < array.shape.size(); ++i)
    n *= array.shape[i];
  return n;
}

struct Tally {
  int64_t hits = 0, count = 0;                    // accuracy, sensitivity
  int64_t overlap = 0, predicted = 0, truth = 0;  // dice
};

void Score(const float* out, int64_t out_count, const float* expected, int64_t expected_count,
           const AcceptanceCriteria& criteria, Tally& tally) {
  if (criteria.metric != Metric::kDice) {
    int64_t best = 0;
    for (int64_t i = 1; i < out_count; ++i)
      best = out[i] > out[best] ? i : best;
    int64_t label = std::lround(expected[0]);
    if (criteria.metric == Metric::kAccuracy) {
      ++tally.count;
      tally.hits += best == label;
    } else if (label == criteria.class_index) {
      ++tally.count;
      tally.hits += best == label;
    }
    return;
  }
  int64_t channels = out_count / expected_count;
  for (int64_t p = 0; p < expected_count; ++p) {
    bool predicted;
    if (channels == 1) {
      predicted = out[p] >= 0.5f;
    } else {
      int64_t best = 0;
      for (int64_t c = 1; c < channels; ++c)
        best = out[c * expected_count + p] > out[best * expected_count + p] ? c : best;
      predicted = best == criteria.class_index;
    }
    bool truth = expected[p] != 0;
    tally.predicted += predicted;
    tally.truth += truth;
    tally.overlap += predicted && truth;
  }
}

std::string ShapeText(const Shape& shape) {
  return ShapeToString(std::vector<int64_t>(shape.dims, shape.dims + shape.rank));
}

// [N, d0, d1, ...], or [N, d1, ...] when d0 is a batch dimension of 1.
bool HoldsSamplesOf(const std::vector<int64_t>& array_shape, const Shape& input) {
  auto matches_from = [&](int first) {
    if (array_shape.size() != static_cast<size_t>(input.rank - first + 1)) return false;
    for (int d = first; d < input.rank; ++d) {
      if (array_shape[static_cast<size_t>(d - first + 1)] != input.dims[d]) return false;
    }
    return true;
  };
  return matches_from(0) || (input.rank > 0 && input.dims[0] == 1 && matches_from(1));
}

// One model input with the validation samples for it.
struct FedInput {
  TensorView tensor;
  std::vector<float> values;  // samples x count
  int64_t count = 0;          // values per sample
};

// Every model input gets its own array, or the set is refused: an input the gate never sets
// would be validated on whatever its memory held.
std::vector<FedInput> MatchInputs(const Interpreter& interpreter, const ValidationSet& set,
                                  int64_t samples) {
  const int count = interpreter.input_count();
  if (set.inputs.size() != static_cast<size_t>(count)) {
    std::string names;
    for (int i = 0; i < count; ++i)
      names += std::string(i ? ", " : "") + "'" + interpreter.input_name(i) + "'";
    throw HostError("validation set: " + std::to_string(set.inputs.size()) +
                    " input array(s) for a model with " + std::to_string(count) + " inputs (" +
                    names + ")");
  }
  std::vector<FedInput> fed;
  for (int i = 0; i < count; ++i) {
    const std::string name = interpreter.input_name(i);
    const ValidationInput& given = set.inputs[static_cast<size_t>(i)];
    const std::string where = "validation input " + std::to_string(i) + " '" + given.name + "'";
    if (given.name != name)
      throw HostError(where + ": the model's input " + std::to_string(i) + " is '" + name + "'");
    TensorView tensor = interpreter.input(i);
    if (tensor.dtype != DType::kFloat32) {
      throw HostError("model: input '" + name + "' is " + DTypeName(tensor.dtype) +
                      "; the validation gate feeds float32 inputs");
    }
    if (given.samples.type != NpyType::kFloat32) {
      throw HostError(where + ": holds " + NpyTypeDescr(given.samples.type) +
                      " values, the model's input takes float32 (<f4)");
    }
    if (!HoldsSamplesOf(given.samples.shape, tensor.shape)) {
      throw HostError(where + ": shape " + ShapeToString(given.samples.shape) +
                      " does not hold samples of the model's input shape " +
                      ShapeText(tensor.shape));
    }
    if (given.samples.shape[0] != samples) {
      throw HostError(where + ": " + std::to_string(given.samples.shape[0]) +
                      " samples, but expected.npy has " + std::to_string(samples));
    }
    fed.push_back({tensor, given.samples.ToFloat(), tensor.shape.ElementCount()});
  }
  return fed;
}

}  // namespace

double MeasureMetric(std::span<const uint8_t> model, const ValidationSet& set,
                     const AcceptanceCriteria& criteria) {
  AlignedBuffer file(model);
  char message[256] = {};
  if (VerifyModel(file.data(), file.size(), message, sizeof(message)) != Status::kOk) {
    throw HostError(std::string("model rejected by the runtime verifier: ") + message);
  }
  size_t arena_bytes = 0;
  if (ReadArenaBytes(file.data(), file.size(), &arena_bytes) != Status::kOk)
    throw HostError("model: cannot read its arena size");
  AlignedBuffer arena(arena_bytes);
  auto interpreter = std::make_unique<Interpreter>();
  if (interpreter->Init(file.data(), file.size(), arena.data(), arena.size()) != Status::kOk) {
    throw HostError(std::string("model: the runtime cannot initialise it: ") +
                    interpreter->error());
  }
  TensorView out = interpreter->output(0);
  if (out.dtype != DType::kFloat32) throw HostError("model: validation needs a float32 output 0");
  int64_t out_count = out.shape.ElementCount();
  int64_t expected_count = PerSample(set.expected, "validation expected");
  int64_t samples = set.expected.shape[0];
  std::vector<FedInput> fed = MatchInputs(*interpreter, set, samples);
  bool dice = criteria.metric == Metric::kDice;
  if ((!dice && expected_count != 1) ||
      (dice && (expected_count == 0 || out_count % expected_count != 0))) {
    throw HostError(std::string("validation expected: shape does not fit metric ") +
                    MetricName(criteria.metric));
  }
  std::vector<float> y = set.expected.ToFloat();
  Tally tally;
  for (int64_t s = 0; s < samples; ++s) {
    for (const FedInput& input : fed) {
      if (input.count == 0) continue;  // a zero-sized input has no bytes to set
      std::memcpy(input.tensor.data, input.values.data() + s * input.count,
                  static_cast<size_t>(input.count) * sizeof(float));
    }
    if (interpreter->Invoke() != Status::kOk)
      throw HostError(std::string("model: inference failed: ") + interpreter->error());
    Score(out.data_as<const float>(), out_count, y.data() + s * expected_count, expected_count,
          criteria, tally);
  }
  if (dice) {
    int64_t denominator = tally.predicted + tally.truth;
    return denominator == 0
               ? 1.0
               : 2.0 * static_cast<double>(tally.overlap) / static_cast<double>(denominator);
  }
  if (tally.count == 0) {
    throw HostError("validation set: no sample of class " + std::to_string(criteria.class_index) +
                    " to measure sensitivity on");
  }
  return static_cast<double>(tally.hits) / static_cast<double>(tally.count);
}

std::string Judge(double metric, std::optional<double> running_metric,
                  const AcceptanceCriteria& criteria) {
  char text[256];
  const char* name = MetricName(criteria.metric);
  if (metric < criteria.floor) {
    std::snprintf(text, sizeof(text), "%s %.4f is below the floor %.4f", name, metric,
                  criteria.floor);
    return text;
  }
  // A small tolerance, so a drop of exactly max_drop (0.95 - 0.93) is not refused by rounding.
  if (running_metric && metric < *running_metric - criteria.max_drop - 1e-12) {
    std::snprintf(text, sizeof(text),
                  "%s %.4f is %.4f below the running model's %.4f (allowed drop %.4f)", name,
                  metric, *running_metric - metric, *running_metric, criteria.max_drop);
    return text;
  }
  return "";
}

}  // namespace vigil::ota
