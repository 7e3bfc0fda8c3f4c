#include "ota/sim/power_cut_campaign.h"

#include <memory>
#include <optional>
#include <random>

#include "host/digest.h"
#include "host/error.h"
#include "ota/device/update_agent.h"
#include "ota/sim/memory_storage.h"
#include "ota/sim/reference_classifier.h"
#include "vigil/interpreter.h"

namespace vigil::ota::sim {
namespace {

constexpr char kHardwareId[] = "vigil-sim";

VerifiedPackage MakePackage(float bias0, const std::string& version, int64_t release_counter) {
  VerifiedPackage p;
  p.model = BuildReferenceClassifier(bias0);
  p.model_sha256 = Sha256Hex(p.model);
  p.validation = ReferenceValidationSet();
  p.targets_version = release_counter;
  UpdateManifest& m = p.manifest;
  m.model_version = version;
  m.release_counter = release_counter;
  m.hardware_ids = {kHardwareId};
  m.runtime_abi_version = kRuntimeAbiVersion;
  m.change_control_id = "CC-SIM-" + version;
  m.acceptance = {Metric::kAccuracy, 0, 0.8, 0.02};
  return p;
}

enum class Scenario { kUpdate, kRevert };

struct World {
  VerifiedPackage v1 = MakePackage(0.25f, "1.0.0", 1), v2 = MakePackage(0.0f, "2.0.0", 2);
  DeviceLayout layout{16 << 10, 64 << 10};
  std::unique_ptr<MemoryStorage> factory;

  World() {
    factory = std::make_unique<MemoryStorage>(layout, 1);
    UpdateAgent agent(*factory, kHardwareId);
    agent.Provision(v1);
    agent.Boot();
  }
};

bool LogHas(UpdateAgent& agent, const std::string& event) {
  for (const AuditRecord& r : agent.log().Records()) {
    if (r.event == event) return true;
  }
  return false;
}

// Runs the rest of the scenario from whatever state the device is in (the steps a device and
// its operator would take after a restart). Each step is cut-able.
void Drive(World& world, MemoryStorage& storage, Scenario scenario) {
  UpdateAgent agent(storage, kHardwareId);
  std::optional<RunningModel> running = agent.Running();
  if (!running) throw HostError("no runnable model to drive from");
  bool on_v2 = running->info.sha256 == world.v2.model_sha256;
  if (scenario == Scenario::kUpdate) {
    if (on_v2 && running->state == SlotState::kConfirmed) return;
    if (!on_v2) {
      agent.Install(world.v2);
      agent.Boot();
    }
    agent.Confirm();
    return;
  }
  if (!on_v2 && running->state == SlotState::kConfirmed && LogHas(agent, "revert")) return;
  if (!on_v2) {
    agent.Install(world.v2);
    agent.Boot();
  }
  agent.Revert();
  agent.Boot();
}

// Checks the invariants after a restart; returns "" or what is wrong.
std::string CheckInvariants(World& world, MemoryStorage& storage, int64_t& max_counter) {
  UpdateAgent agent(storage, kHardwareId);
  DeviceStatus status = agent.Status();
  if (!status.running) return "no runnable model after restart";
  const RunningModel& r = *status.running;
  if (r.state != SlotState::kConfirmed && r.state != SlotState::kTrial)
    return "running model neither confirmed nor on trial";
  int trials = 0;
  for (const SlotStatus& s : status.slots)
    trials += s.state == SlotState::kTrial || s.state == SlotState::kPending;
  if (trials > 1) return "more than one slot pending or on trial";
  std::vector<uint8_t> image = agent.ReadModel(r);
  if (Sha256Hex(image) != r.info.sha256) return "running slot is half-written (hash mismatch)";
  if (r.info.sha256 != world.v1.model_sha256 && r.info.sha256 != world.v2.model_sha256)
    return "running model is neither v1 nor v2";
  char message[128];
  if (VerifyModel(image.data(), image.size(), message, sizeof(message)) != Status::kOk) {
    return std::string("running model fails verification: ") + message;
  }
  if (status.counter < max_counter) return "security counter decreased";
  max_counter = status.counter;
  if (r.info.release_counter < status.counter) return "running model is below the security counter";
  AuditVerification log = agent.log().Verify();
  if (!log.ok) return "audit log: " + log.problems.front();
  return "";
}

std::string CheckGoal(World& world, MemoryStorage& storage, Scenario scenario) {
  UpdateAgent agent(storage, kHardwareId);
  DeviceStatus status = agent.Status();
  if (!status.running || status.running->state != SlotState::kConfirmed)
    return "goal: no confirmed model at the end";
  bool on_v2 = status.running->info.sha256 == world.v2.model_sha256;
  if (scenario == Scenario::kUpdate && (!on_v2 || status.counter != 2))
    return "goal: v2 not confirmed with counter 2";
  if (scenario == Scenario::kRevert && (on_v2 || status.counter != 1))
    return "goal: not back on v1 with counter 1";
  return "";
}

// Restart after a crash: the start-up decision table, itself possibly cut (then crash again).
void Restart(MemoryStorage& storage, std::mt19937_64* random) {
  for (;;) {
    if (random && (*random)() % 4 == 0)
      storage.ArmPowerCut(static_cast<int64_t>(1 + (*random)() % 12));
    try {
      UpdateAgent(storage, kHardwareId).Boot();
      storage.ArmPowerCut(0);
      return;
    } catch (const PowerCut&) {
      storage.Crash();
      random = nullptr;  // one cut per restart is enough to exercise it; then start cleanly
    }
  }
}

void Record(PowerCutReport& report, const std::string& what) {
  ++report.failures;
  if (report.failure_examples.size() < 10) report.failure_examples.push_back(what);
}

// One run: the given cut points in turn (0 = run to the end), then finish the scenario.
void RunOnce(World& world, Scenario scenario, const std::vector<int64_t>& cuts, uint64_t seed,
             std::mt19937_64* random, PowerCutReport& report, int64_t* covered) {
  MemoryStorage storage = *world.factory;
  storage.Reseed(seed);
  int64_t max_counter = 1;
  std::string name = std::string(scenario == Scenario::kUpdate ? "update" : "revert") + " seed " +
                     std::to_string(seed);
  try {
    for (int64_t cut : cuts) {
      storage.ArmPowerCut(cut);
      try {
        Drive(world, storage, scenario);
        storage.ArmPowerCut(0);
        break;  // finished before the cut point
      } catch (const PowerCut&) {
        if (covered)
          ++*covered;
        else
          ++report.random_cuts;
        storage.Crash();
      }
      Restart(storage, random);
      std::string problem = CheckInvariants(world, storage, max_counter);
      if (!problem.empty())
        return Record(report, name + " cut " + std::to_string(cut) + ": " + problem);
    }
    Drive(world, storage, scenario);
    std::string problem = CheckGoal(world, storage, scenario);
    if (!problem.empty()) Record(report, name + ": " + problem);
  } catch (const HostError& e) {
    Record(report, name + ": " + e.what());
  } catch (const PowerCut&) {
    Record(report, name + ": power cut escaped the run");
  }
}

int64_t CountOperations(World& world, Scenario scenario, PowerCutReport* counts) {
  MemoryStorage storage = *world.factory;
  StorageCounts before = storage.counts();
  storage.ArmPowerCut(0);
  Drive(world, storage, scenario);
  if (counts) {
    counts->writes = storage.counts().writes - before.writes;
    counts->syncs = storage.counts().syncs - before.syncs;
    counts->erases = storage.counts().erases - before.erases;
  }
  return storage.operations_since_arm();
}

}  // namespace

PowerCutReport RunPowerCutCampaign(const PowerCutConfig& config) {
  World world;
  PowerCutReport report;
  report.update_operations = CountOperations(world, Scenario::kUpdate, &report);
  report.revert_operations = CountOperations(world, Scenario::kRevert, nullptr);
  int64_t total = report.update_operations + report.revert_operations + config.random_runs,
          done = 0;
  for (Scenario scenario : {Scenario::kUpdate, Scenario::kRevert}) {
    bool update = scenario == Scenario::kUpdate;
    int64_t n = update ? report.update_operations : report.revert_operations;
    int64_t* covered =
        update ? &report.update_cut_points_covered : &report.revert_cut_points_covered;
    for (int64_t k = 1; k <= n; ++k) {
      RunOnce(world, scenario, {k}, config.seed + static_cast<uint64_t>(k), nullptr, report,
              covered);
      if (config.progress) config.progress(++done, total);
    }
  }
  std::mt19937_64 random(config.seed);
  for (int64_t run = 0; run < config.random_runs; ++run) {
    Scenario scenario = run % 2 ? Scenario::kRevert : Scenario::kUpdate;
    int64_t n = scenario == Scenario::kUpdate ? report.update_operations : report.revert_operations;
    std::vector<int64_t> cuts(1 + random() % static_cast<uint64_t>(config.max_cuts_per_run));
    for (int64_t& cut : cuts)
      cut = 1 + static_cast<int64_t>(random() % static_cast<uint64_t>(n));
    RunOnce(world, scenario, cuts, random(), &random, report, nullptr);
    ++report.random_runs;
    if (config.progress) config.progress(++done, total);
  }
  return report;
}

}  // namespace vigil::ota::sim
