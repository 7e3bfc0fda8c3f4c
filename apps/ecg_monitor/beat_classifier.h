// BeatClassifier: the beat classifier model (models/ecg/) on the Vigil runtime, for host tools.
//
// The model takes "beat" [1, 2, 128] and "rr" [1, 9] (signal/ecg/beat_stream.h makes both) and
// gives probabilities of N, S, V, F. FP32 and INT8 model files work alike (LoadedModel quantizes
// int8 boundary tensors). With no path, the model compiled into this binary is used
// (models/ecg/ecg_classifier_int8.vgl when present, else the FP32 one), so the monitor runs
// without any file.
//
// The decision is the most probable class, except that a beat whose QRS matches the patient's
// template (BeatFeatures::qrs_difference below the model's "ecg.ventricular_min_qrs_difference"
// property, chosen with the model by cross-validation on DS1) is never called V: it takes its next
// most probable class. Models without the property are not gated.
#pragma once

#include <string>

#include "apps/ecg_monitor/ec57/ec57_comparator.h"
#include "host/loaded_model.h"
#include "signal/ecg/beat_stream.h"

namespace vigil::ecg {

constexpr int kClassifierClasses = 4;  // N S V F

class BeatClassifier {
 public:
  // path: a .vgl file; "" for the built-in model. Throws HostError when the model does not have
  // the expected inputs and outputs.
  explicit BeatClassifier(const std::string& path = "");

  // Classifies a beat that has a window; writes the network's class probabilities when asked.
  AamiClass Classify(const BeatFeatures& beat, float probabilities[kClassifierClasses] = nullptr);

  const std::string& name() const { return name_; }
  size_t arena_bytes() const { return model_.arena_bytes(); }
  size_t file_bytes() const { return model_.file_bytes(); }
  bool int8() const;
  float ventricular_gate() const { return ventricular_gate_; }

 private:
  void CheckInterface() const;
  float ReadVentricularGate() const;
  std::string name_;
  LoadedModel model_;
  float ventricular_gate_ = 0;
};

}  // namespace vigil::ecg
