// The power-cut campaign: every cut point of an update and a revert, then random repeated cuts.
// This binary runs 300 random runs (also under the sanitizers); VIGIL_POWER_CUT_RUNS=10000 builds
// the full campaign as its own test, labelled slow.
#include <gtest/gtest.h>

#include "ota/sim/power_cut_campaign.h"

namespace vigil::ota::sim {
namespace {

void ExpectClean(const PowerCutReport& r, int64_t runs) {
  EXPECT_GT(r.update_operations, 20);
  EXPECT_GT(r.revert_operations, 20);
  EXPECT_EQ(r.update_cut_points_covered, r.update_operations);  // 100 % of cut points
  EXPECT_EQ(r.revert_cut_points_covered, r.revert_operations);
  EXPECT_EQ(r.writes + r.syncs + r.erases, r.update_operations);
  EXPECT_EQ(r.random_runs, runs);
  EXPECT_GE(r.random_cuts, runs);
  EXPECT_EQ(r.failures, 0);
  for (const std::string& f : r.failure_examples)
    ADD_FAILURE() << f;
}

TEST(VIGIL_POWER_CUT_SUITE, EveryCutPointAndRandomCuts) {
  PowerCutConfig config;
  config.random_runs = VIGIL_POWER_CUT_RUNS;
  ExpectClean(RunPowerCutCampaign(config), VIGIL_POWER_CUT_RUNS);
}

}  // namespace
}  // namespace vigil::ota::sim
