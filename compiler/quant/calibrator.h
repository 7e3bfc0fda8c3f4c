// Calibration: runs the float32 model over sample inputs and estimates, for every tensor, the range
// its int8 form must cover.
//
// Methods: minmax (the observed extremes); percentile[:P] (the P-th and (100-P)-th percentiles of the
// values, default P = 99.99); entropy (the KL-divergence threshold search TensorRT describes for
// INT8 calibration: a 2048-bin histogram of |x|, thresholds from bin 128 up, the one whose 128-level
// quantized distribution diverges least from the clipped original; exact zeros are left out of that
// histogram, since Relu outputs pile them into bin 0). Ranges always include 0.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "compiler/quant/calibration_data.h"
#include "host/loaded_model.h"

namespace vigil::quant {

enum class CalibrationMethod { kMinMax, kPercentile, kEntropy };

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::kMinMax;
  double percentile = 99.99;
  bool progress = true;
};

// "minmax", "percentile", "percentile:99.9", "entropy".
CalibrationOptions ParseCalibrationMethod(const std::string& text);
std::string DescribeCalibration(const CalibrationOptions& options);

struct TensorRange {
  float min = 0, max = 0;
  bool observed = false;
};

// Runs the model on one sample op by op, calling `visit(tensor_index, view)` for the graph inputs
// and then for each op's outputs as soon as the op has run (before a later op can reuse the memory).
void TraceTensors(LoadedModel& model, const std::vector<std::vector<float>>& sample,
                  const std::function<void(int, const TensorView&)>& visit);

// One range per tensor of `model` (constants are not observed).
std::vector<TensorRange> Calibrate(LoadedModel& model, const SampleSet& samples,
                                   const CalibrationOptions& options);

// The entropy threshold of a 2048-bin histogram of |x| whose bins are `bin_width` wide.
double EntropyThreshold(const std::vector<double>& histogram, double bin_width);

}  // namespace vigil::quant
