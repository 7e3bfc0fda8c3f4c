#include "apps/ecg_monitor/beat_classifier.h"

#include <span>

#include "apps/ecg_monitor/default_model.h"
#include "host/error.h"

namespace vigil::ecg {

BeatClassifier::BeatClassifier(const std::string& path)
    : name_(path.empty() ? std::string(kDefaultModelName) : path),
      model_(path.empty() ? LoadedModel::FromBytes(std::span<const uint8_t>(kDefaultModel, kDefaultModelBytes),
                                                   kDefaultModelName)
                          : LoadedModel::FromFile(path)) {
  CheckInterface();
}

void BeatClassifier::CheckInterface() const {
  const Interpreter& in = model_.interpreter();
  auto elements = [](const TensorView& t) { return t.shape.ElementCount(); };
  if (in.input_count() != 2 || in.output_count() != 1 || elements(in.input(0)) != 2 * kWindowValues ||
      elements(in.input(1)) != kRrFeatures || elements(in.output(0)) != kClassifierClasses) {
    throw HostError(name_ + ": not an ECG beat classifier (needs inputs beat [1,2,128] and rr [1,9], output [1,4])");
  }
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
  int best = 0;
  for (int i = 1; i < kClassifierClasses; ++i) best = p[i] > p[best] ? i : best;
  if (probabilities) {
    for (int i = 0; i < kClassifierClasses; ++i) probabilities[i] = p[i];
  }
  return static_cast<AamiClass>(best);
}

}  // namespace vigil::ecg
