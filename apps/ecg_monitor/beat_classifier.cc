#include "apps/ecg_monitor/beat_classifier.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <span>

#include "apps/ecg_monitor/default_model.h"
#include "host/error.h"
#include "vgl_generated.h"

namespace vigil::ecg {
namespace {

constexpr const char* kVentricularGateProperty = "ecg.ventricular_max_qrs_correlation";
constexpr const char* kSupraventricularGateProperty = "ecg.supraventricular_min_qrs_correlation";
constexpr const char* kSignalChainProperty = "ecg.signal_chain";

std::optional<std::string> Property(const schema::Model& model, const char* key) {
  const schema::Metadata* meta = model.metadata();
  if (!meta || !meta->properties()) return std::nullopt;
  for (const schema::KeyValue* kv : *meta->properties()) {
    if (kv->key() && kv->key()->str() == key) return kv->value() ? kv->value()->str() : "";
  }
  return std::nullopt;
}

// The metadata is untrusted input: a threshold must be a number a correlation can be compared with.
float CorrelationThreshold(const std::string& model_name, const char* key,
                           const std::string& text) {
  char* end = nullptr;
  const float value = std::strtof(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value < -1 || value > 1) {
    throw HostError(model_name + ": property " + key + " is \"" + text +
                    "\", not a number from -1 to 1");
  }
  return value;
}

}  // namespace

BeatClassifier::BeatClassifier(const std::string& path)
    : name_(path.empty() ? std::string(kDefaultModelName) : path),
      model_(path.empty() ? LoadedModel::FromBytes(
                                std::span<const uint8_t>(kDefaultModel, kDefaultModelBytes),
                                kDefaultModelName)
                          : LoadedModel::FromFile(path)) {
  CheckInterface();
  ReadMetadata();
}

void BeatClassifier::CheckInterface() const {
  const Interpreter& in = model_.interpreter();
  auto elements = [](const TensorView& t) { return t.shape.ElementCount(); };
  if (in.input_count() != 2 || in.output_count() != 1 ||
      elements(in.input(0)) != 2 * kWindowValues || elements(in.input(1)) != kContextFeatures ||
      elements(in.output(0)) != kClassifierClasses) {
    throw HostError(name_ +
                    ": not an ECG beat classifier (needs inputs beat [1,2,128] and context [1,12], "
                    "output [1,4])");
  }
}

void BeatClassifier::ReadMetadata() {
  const schema::Model& model = model_.model();
  const std::string expected = std::to_string(kSignalChainVersion);
  const std::optional<std::string> chain = Property(model, kSignalChainProperty);
  if (chain != expected) {
    throw HostError(name_ + ": trained on signal chain " +
                    (chain ? "\"" + *chain + "\"" : "(not stated)") + " but this chain is " +
                    expected + " (property " + kSignalChainProperty + ")");
  }
  if (auto v = Property(model, kVentricularGateProperty)) {
    rule_.ventricular_max_correlation = CorrelationThreshold(name_, kVentricularGateProperty, *v);
  }
  if (auto s = Property(model, kSupraventricularGateProperty)) {
    rule_.supraventricular_min_correlation =
        CorrelationThreshold(name_, kSupraventricularGateProperty, *s);
  }
}

bool BeatClassifier::int8() const {
  const Interpreter& in = model_.interpreter();
  for (int t = 0; t < in.tensor_count(); ++t) {
    if (in.tensor(t).dtype == DType::kInt8) return true;
  }
  return false;
}

AamiClass BeatClassifier::Classify(const BeatFeatures& beat,
                                   float probabilities[kClassifierClasses]) {
  float context[kContextFeatures];
  ClassifierContext(beat, context);
  model_.SetInput(0, std::span<const float>(&beat.beat[0][0], 2 * kWindowValues));
  model_.SetInput(1, std::span<const float>(context, kContextFeatures));
  model_.Invoke();
  const TensorView out = model_.interpreter().output(0);
  float p[kClassifierClasses];
  if (out.dtype == DType::kFloat32) {
    for (int i = 0; i < kClassifierClasses; ++i)
      p[i] = out.data_as<float>()[i];
  } else {
    std::vector<float> values = model_.Output(0);
    for (int i = 0; i < kClassifierClasses; ++i)
      p[i] = values[static_cast<size_t>(i)];
  }
  if (probabilities) {
    for (int i = 0; i < kClassifierClasses; ++i)
      probabilities[i] = p[i];
  }
  return rule_.Decide(p, beat.qrs_correlation);
}

AamiClass DecisionRule::Decide(const float p[kClassifierClasses], float qrs_correlation) const {
  auto allowed = [&](int c) {
    if (c == static_cast<int>(AamiClass::kV)) return qrs_correlation < ventricular_max_correlation;
    if (c == static_cast<int>(AamiClass::kS))
      return qrs_correlation >= supraventricular_min_correlation;
    return true;
  };
  int best = -1;
  for (int i = 0; i < kClassifierClasses; ++i) {
    if (allowed(i) && (best < 0 || p[i] > p[best])) best = i;
  }
  return static_cast<AamiClass>(best);
}

}  // namespace vigil::ecg
