// How much accuracy int8 costs, layer by layer: every tensor of the float model is compared with
// the dequantized values of its int8 counterpart over evaluation samples (SQNR in dB and cosine
// similarity), so a user sees which layer loses accuracy; plus agreement of the final outputs.
#pragma once

#include <string>
#include <vector>

#include "compiler/quant/calibration_data.h"
#include "host/loaded_model.h"

namespace vigil::quant {

struct LayerAccuracy {
  std::string tensor, op;
  double sqnr_db = 0, cosine = 0;
  int64_t elements = 0;
};

struct OutputAgreement {
  std::string name;
  double cosine = 0, sqnr_db = 0;
  double argmax_agreement = -1;  // for [batch, classes] outputs; -1 otherwise
};

struct QuantizationAccuracy {
  std::vector<LayerAccuracy> layers;  // worst SQNR first
  std::vector<OutputAgreement> outputs;
  size_t samples = 0;
};

QuantizationAccuracy MeasureQuantization(LoadedModel& float_model, LoadedModel& int8_model,
                                         const std::vector<int>& int8_tensor_of,
                                         const SampleSet& samples, bool progress);

}  // namespace vigil::quant
