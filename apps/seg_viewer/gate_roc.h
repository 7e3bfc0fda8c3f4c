// ROC of the quality gate: how well a focus measure tells apart frames that lose more than a
// given Dice margin from those that do not. Low focus predicts a bad frame.
#pragma once

#include <vector>

namespace vigil::seg {

struct GateSample {
  double focus = 0;
  bool bad = false;  // lost more than the margin
};

struct RocPoint {
  double threshold, false_positive_rate, true_positive_rate;  // reject when focus < threshold
};

struct GateRoc {
  std::vector<RocPoint> points;  // from rejecting nothing to rejecting everything
  double auc = 0.5;              // P(focus of a bad frame < focus of a good frame), ties count half
  RocPoint youden{0, 0, 0};      // the threshold that maximises TPR - FPR
  int bad = 0, good = 0;
};

GateRoc ComputeGateRoc(std::vector<GateSample> samples);

}  // namespace vigil::seg
