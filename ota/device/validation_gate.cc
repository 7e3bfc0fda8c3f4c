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

}  // namespace

double MeasureMetric(std::span<const uint8_t> model, const NpyArray& inputs,
                     const NpyArray& expected, const AcceptanceCriteria& criteria) {
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
  TensorView in = interpreter->input(0), out = interpreter->output(0);
  if (in.dtype != DType::kFloat32 || out.dtype != DType::kFloat32) {
    throw HostError("model: validation needs a float32 input 0 and output 0");
  }
  int64_t in_count = in.shape.ElementCount(), out_count = out.shape.ElementCount();
  int64_t samples = inputs.shape.empty() ? 0 : inputs.shape[0];
  if (PerSample(inputs, "validation inputs") != in_count) {
    throw HostError("validation inputs: each sample has " +
                    std::to_string(PerSample(inputs, "inputs")) +
                    " values, the model's input 0 takes " + std::to_string(in_count));
  }
  int64_t expected_count = PerSample(expected, "validation expected");
  if (expected.shape[0] != samples)
    throw HostError("validation set: inputs and expected hold different sample counts");
  bool dice = criteria.metric == Metric::kDice;
  if ((!dice && expected_count != 1) ||
      (dice && (expected_count == 0 || out_count % expected_count != 0))) {
    throw HostError(std::string("validation expected: shape does not fit metric ") +
                    MetricName(criteria.metric));
  }
  std::vector<float> x = inputs.ToFloat(), y = expected.ToFloat();
  Tally tally;
  for (int64_t s = 0; s < samples; ++s) {
    std::memcpy(in.data, x.data() + s * in_count, static_cast<size_t>(in_count) * sizeof(float));
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
