#include "apps/ecg_monitor/beat_classifier.h"

#include <cmath>
#include <cstdlib>
#include <span>

#include "apps/ecg_monitor/default_model.h"
#include "host/error.h"
#include "vgl_generated.h"

namespace vigil::ecg {
namespace {

constexpr const char* kVentricularGateProperty = "ecg.ventricular_min_qrs_difference";

}  // namespace

BeatClassifier::BeatClassifier(const std::string& path)
    : name_(path.empty() ? std::string(kDefaultModelName) : path),
      model_(path.empty() ? LoadedModel::FromBytes(std::span<const uint8_t>(kDefaultModel, kDefaultModelBytes),
                                                   kDefaultModelName)
                          : LoadedModel::FromFile(path)) {
  CheckInterface();
  ventricular_gate_ = ReadVentricularGate();
}

void BeatClassifier::CheckInterface() const {
  const Interpreter& in = model_.interpreter();
  auto elements = [](const TensorView& t) { return t.shape.ElementCount(); };
  if (in.input_count() != 2 || in.output_count() != 1 || elements(in.input(0)) != 2 * kWindowValues ||
      elements(in.input(1)) != kRrFeatures || elements(in.output(0)) != kClassifierClasses) {
    throw HostError(name_ + ": not an ECG beat classifier (needs inputs beat [1,2,128] and rr [1,9], output [1,4])");
  }
}

float BeatClassifier::ReadVentricularGate() const {
  const schema::Metadata* meta = model_.model().metadata();
  if (!meta || !meta->properties()) return 0;
  for (const schema::KeyValue* kv : *meta->properties()) {
    if (!kv->key() || kv->key()->str() != kVentricularGateProperty) continue;
    const std::string text = kv->value() ? kv->value()->str() : "";
    char* end = nullptr;
    const float gate = std::strtof(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(gate) || gate < 0) {
      throw HostError(name_ + ": property " + kVentricularGateProperty + " is \"" + text +
                      "\", not a non-negative number");
    }
    return gate;
  }
  return 0;
}

bool BeatClassifier::int8() const {
  const Interpreter& in = model_.interpreter();
  for (int t = 0; t < in.tensor_count(); ++t) {
    if (in.tensor(t).dtype == DType::kInt8) return true;
  }
  return false;
}

AamiClass BeatClassifier::Classify(const BeatFeatures& beat, float probabilities[kClassifierClasses]) {
  model_.SetInput(0, std::span<const float>(&beat.beat[0][0], 2 * kWindowValues));
  model_.SetInput(1, std::span<const float>(beat.rr, kRrFeatures));
  model_.Invoke();
  const TensorView out = model_.interpreter().output(0);
  float p[kClassifierClasses];
  if (out.dtype == DType::kFloat32) {
    for (int i = 0; i < kClassifierClasses; ++i) p[i] = out.data_as<float>()[i];
  } else {
    std::vector<float> values = model_.Output(0);
    for (int i = 0; i < kClassifierClasses; ++i) p[i] = values[static_cast<size_t>(i)];
  }
  const bool may_be_ventricular = !(beat.qrs_difference < ventricular_gate_);
  int best = -1;
  for (int i = 0; i < kClassifierClasses; ++i) {
    if (i == static_cast<int>(AamiClass::kV) && !may_be_ventricular) continue;
    if (best < 0 || p[i] > p[best]) best = i;
  }
  if (probabilities) {
    for (int i = 0; i < kClassifierClasses; ++i) probabilities[i] = p[i];
  }
  return static_cast<AamiClass>(best);
}

}  // namespace vigil::ecg
