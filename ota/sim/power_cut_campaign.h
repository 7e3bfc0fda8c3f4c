// The power-cut campaign: proves that no power cut during a model update or a revert can leave the
// device without exactly one runnable model.
//
// Scenario: a device provisioned with the reference classifier v1 (accuracy 0.90, release counter
// 1) receives v2 (accuracy 1.00, release counter 2).
//   update: install v2, restart (trial), confirm              -> goal: v2 confirmed, counter 2
//   revert: install v2, restart (trial), revert, restart      -> goal: v1 confirmed, counter 1
// Deterministic part: count the storage operations N of each scenario, then for k = 1..N cut the
// power before operation k, crash (unsynced writes kept, lost or torn), restart, check the
// invariants, and drive the scenario to its goal. Random part: runs with 1..max_cuts random cuts
// each, cuts during restarts included.
//
// Invariants after every restart: exactly one runnable model, confirmed or on trial; its image
// matches its recorded hash and passes the runtime's verifier; it is v1 or v2; the counter never
// went down; the audit log verifies. At the end of a run the scenario's goal holds.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vigil::ota::sim {

struct PowerCutConfig {
  int64_t random_runs = 10000;
  int max_cuts_per_run = 4;
  uint64_t seed = 20240611;
  std::function<void(int64_t done, int64_t total)> progress;  // may be empty
};

struct PowerCutReport {
  int64_t update_operations = 0, revert_operations = 0;  // counted in one uninterrupted run
  int64_t update_cut_points_covered = 0, revert_cut_points_covered = 0;
  int64_t writes = 0, syncs = 0, erases = 0;  // of the uninterrupted update
  int64_t random_runs = 0, random_cuts = 0;
  int64_t failures = 0;
  std::vector<std::string> failure_examples;  // the first few, for the report
};

PowerCutReport RunPowerCutCampaign(const PowerCutConfig& config);

}  // namespace vigil::ota::sim
