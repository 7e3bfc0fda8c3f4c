// BeatClassifier: the beat classifier model (models/ecg/) on the Vigil runtime, for host tools.
//
// The model takes "beat" [1, 2, 128] and "context" [1, 12] (signal/ecg/beat_stream.h makes both)
// and gives probabilities of N, S, V, F. FP32 and INT8 model files work alike (LoadedModel quantizes
// int8 boundary tensors). With no path, the model compiled into this binary is used
// (models/ecg/ecg_classifier_int8.vgl when present, else the FP32 one), so the monitor runs
// without any file.
//
// The decision is the most probable class that the beat's QRS allows (DecisionRule): a beat whose
// QRS correlates with the patient's template at least as well as the model's
// "ecg.ventricular_max_qrs_correlation" is never V (it is the patient's usual QRS), and one whose QRS
// correlates less than "ecg.supraventricular_min_qrs_correlation" is never S (a supraventricular
// beat is conducted like the usual one). Both thresholds were chosen with the model by
// cross-validation on DS1 and travel in its metadata; a model without them is not gated. A model
// must also state the signal chain it was trained on ("ecg.signal_chain"); another is refused.
#pragma once

#include <limits>
#include <string>

#include "host/loaded_model.h"
#include "signal/ecg/aami_class.h"
#include "signal/ecg/beat_stream.h"

namespace vigil::ecg {

constexpr int kClassifierClasses = 4;  // N S V F

struct DecisionRule {
  float ventricular_max_correlation = std::numeric_limits<float>::infinity();
  float supraventricular_min_correlation = -std::numeric_limits<float>::infinity();

  // The most probable class of p (N S V F) that a beat with this QRS correlation may be.
  AamiClass Decide(const float p[kClassifierClasses], float qrs_correlation) const;
};

class BeatClassifier {
 public:
  // path: a .vgl file; "" for the built-in model. Throws HostError when the model does not have
  // the expected inputs, outputs and metadata.
  explicit BeatClassifier(const std::string& path = "");

  // Classifies a beat that has a window; writes the network's class probabilities when asked.
  AamiClass Classify(const BeatFeatures& beat, float probabilities[kClassifierClasses] = nullptr);

  const std::string& name() const { return name_; }
  size_t arena_bytes() const { return model_.arena_bytes(); }
  size_t file_bytes() const { return model_.file_bytes(); }
  bool int8() const;
  const DecisionRule& rule() const { return rule_; }

 private:
  void CheckInterface() const;
  void ReadMetadata();
  std::string name_;
  LoadedModel model_;
  DecisionRule rule_;
};

}  // namespace vigil::ecg
