// Quality-gate ROC against hand-computed AUCs (the Mann-Whitney statistic).
#include "apps/seg_viewer/gate_roc.h"

#include <gtest/gtest.h>

namespace vigil::seg {
namespace {

TEST(GateRocTest, PerfectSeparationHasAucOne) {
  GateRoc roc = ComputeGateRoc({{1, true}, {2, true}, {10, false}, {20, false}});
  EXPECT_DOUBLE_EQ(roc.auc, 1.0);
  EXPECT_DOUBLE_EQ(roc.youden.true_positive_rate, 1.0);
  EXPECT_DOUBLE_EQ(roc.youden.false_positive_rate, 0.0);
  EXPECT_DOUBLE_EQ(roc.youden.threshold, 10.0);  // reject focus < 10: both bad, no good
}

TEST(GateRocTest, ReversedMeasureHasAucZero) {
  EXPECT_DOUBLE_EQ(ComputeGateRoc({{10, true}, {1, false}}).auc, 0.0);
}

// Bad {1, 3}, good {2, 4}: pairs (bad < good) = (1,2) (1,4) (3,4) = 3 of 4.
TEST(GateRocTest, InterleavedScoresAreHandComputed) {
  GateRoc roc = ComputeGateRoc({{1, true}, {2, false}, {3, true}, {4, false}});
  EXPECT_DOUBLE_EQ(roc.auc, 0.75);
  EXPECT_EQ(roc.bad, 2);
  EXPECT_EQ(roc.good, 2);
  EXPECT_EQ(roc.points.size(), 5u);
  EXPECT_DOUBLE_EQ(roc.points.back().true_positive_rate, 1.0);
  EXPECT_DOUBLE_EQ(roc.points.back().false_positive_rate, 1.0);
}

TEST(GateRocTest, TiesCountHalf) {
  EXPECT_DOUBLE_EQ(ComputeGateRoc({{5, true}, {5, false}}).auc, 0.5);
}

}  // namespace
}  // namespace vigil::seg
