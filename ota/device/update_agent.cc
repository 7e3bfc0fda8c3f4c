#include "ota/device/update_agent.h"

#include <algorithm>

#include "host/digest.h"
#include "host/error.h"
#include "ota/device/validation_gate.h"
#include "vigil/interpreter.h"

namespace vigil::ota {
namespace {

using Json = nlohmann::json;

const char* SlotName(int slot) {
  return slot == 0 ? "slot-a" : "slot-b";
}

}  // namespace

UpdateAgent::UpdateAgent(Storage& storage, std::string hardware_id)
    : storage_(storage),
      hardware_id_(std::move(hardware_id)),
      slots_{Slot(storage, "slot-a"), Slot(storage, "slot-b")},
      counter_(storage),
      log_(storage) {}

bool UpdateAgent::Runnable(int slot, const SlotStatus& status) {
  return status.info && status.info->release_counter >= counter_.Value() &&
         slots_[slot].ImageIntact(*status.info);
}

std::optional<RunningModel> UpdateAgent::Running() {
  SlotStatus status[2] = {slots_[0].Status(), slots_[1].Status()};
  for (int s = 0; s < 2; ++s) {
    if (status[s].state == SlotState::kTrial)
      return RunningModel{s, SlotState::kTrial, *status[s].info};
  }
  std::optional<RunningModel> best;
  for (int s = 0; s < 2; ++s) {
    if (status[s].state != SlotState::kConfirmed || !Runnable(s, status[s])) continue;
    if (!best || status[s].info->sequence > best->info.sequence)
      best = RunningModel{s, SlotState::kConfirmed, *status[s].info};
  }
  return best;
}

BootResult UpdateAgent::Boot() {
  BootResult result;
  AuditVerification log_check = log_.Verify();
  bool log_usable = log_check.ok;
  if (!log_usable) {
    result.warnings.push_back("the audit log is damaged (" + log_check.problems.front() +
                              "); it is kept as it is and this start is not recorded; "
                              "'vigil device log --recover' preserves it and starts a new log");
  }
  // Records a step of the start when the log allows; a failure is a warning, never a stop.
  auto record = [&](const std::string& event, const Json& details) {
    if (!log_usable) return;
    try {
      log_.Append(event, details);
    } catch (const HostError& e) {
      log_usable = false;
      result.warnings.push_back(std::string("this start is not fully recorded in the audit log: ") +
                                e.what());
    }
  };
  SlotStatus status[2] = {slots_[0].Status(), slots_[1].Status()};
  for (int s = 0; s < 2; ++s) {  // R1
    if (status[s].state != SlotState::kTrial) continue;
    slots_[s].SetFlag(SlotFlag::kBad);
    record("revert", {{"slot", SlotName(s)},
                      {"model_version", status[s].info->model_version},
                      {"reason", "restarted before the trial was confirmed"}});
    result.rules.push_back(std::string("R1 ") + SlotName(s) +
                           ": trial not confirmed before restart, reverted");
    status[s].state = SlotState::kBad;
  }
  for (int s = 0; s < 2; ++s) {  // R2, R3
    if (status[s].state != SlotState::kPending) continue;
    if (Runnable(s, status[s])) {
      slots_[s].SetFlag(SlotFlag::kTrial);
      record("boot", {{"slot", SlotName(s)},
                      {"model_version", status[s].info->model_version},
                      {"mode", "trial"}});
      result.rules.push_back(std::string("R2 ") + SlotName(s) + ": pending model starts its trial");
      result.running = RunningModel{s, SlotState::kTrial, *status[s].info};
      return result;
    }
    slots_[s].SetFlag(SlotFlag::kBad);
    record("reject", {{"slot", SlotName(s)},
                      {"model_version", status[s].info->model_version},
                      {"reason", "pending image damaged or below the security counter at start"}});
    result.rules.push_back(std::string("R3 ") + SlotName(s) +
                           ": pending model not runnable, marked bad");
  }
  result.running = Running();  // R4
  if (result.running) {
    const SlotInfo& info = result.running->info;
    if (counter_.AdvanceTo(info.release_counter)) {
      result.rules.push_back("R4 counter raised to " + std::to_string(info.release_counter) +
                             " (confirm completed)");
    }
    record("boot", {{"slot", SlotName(result.running->slot)},
                    {"model_version", info.model_version},
                    {"mode", "confirmed"}});
    result.rules.push_back(std::string("R4 ") + SlotName(result.running->slot) +
                           ": newest confirmed model runs");
  } else {
    record("boot", {{"mode", "no runnable model"}});
    result.rules.push_back("R5 no runnable model");
  }
  return result;
}

void UpdateAgent::RequireIntactLog(const std::string& action) {
  AuditVerification check = log_.Verify();
  if (!check.ok) {
    throw HostError(action + ": the audit log is damaged (" + check.problems.front() +
                    "); nothing is changed until 'vigil device log --recover' has preserved it "
                    "and started a new log");
  }
}

void UpdateAgent::Reject(const std::string& reason, Json details) {
  details["reason"] = reason;
  log_.Append("reject", details);
  throw HostError("update rejected: " + reason);
}

void UpdateAgent::CheckPackage(const VerifiedPackage& package) {
  const UpdateManifest& m = package.manifest;
  Json details = {{"model_version", m.model_version}, {"release_counter", m.release_counter}};
  if (std::find(m.hardware_ids.begin(), m.hardware_ids.end(), hardware_id_) ==
      m.hardware_ids.end()) {
    Reject("hardware id '" + hardware_id_ + "' is not among the package's hardware ids", details);
  }
  if (m.runtime_abi_version != kRuntimeAbiVersion) {
    Reject("runtime ABI " + std::to_string(m.runtime_abi_version) +
               " does not match this runtime's " + std::to_string(kRuntimeAbiVersion),
           details);
  }
  int64_t counter = counter_.Value();
  if (m.release_counter < counter) {
    Reject("release counter " + std::to_string(m.release_counter) +
               " is below the device's security counter " + std::to_string(counter) + " (rollback)",
           details);
  }
  if (package.model.size() > slots_[0].ImageCapacity()) {
    Reject("model of " + std::to_string(package.model.size()) + " bytes does not fit a slot",
           details);
  }
  log_.Append("verify", {{"model_version", m.model_version},
                         {"model_sha256", package.model_sha256},
                         {"targets_version", package.targets_version},
                         {"result",
                          "signatures, hashes, hardware id, "
                          "ABI and release counter ok"}});
}

InstallResult UpdateAgent::WriteAndValidate(const VerifiedPackage& package, int slot,
                                            const std::optional<RunningModel>& running) {
  const UpdateManifest& m = package.manifest;
  uint64_t sequence = 1;
  for (Slot& s : slots_) {
    SlotStatus st = s.Status();
    if (st.info) sequence = std::max(sequence, st.info->sequence + 1);
  }
  SlotInfo info{package.model.size(), sequence,        m.release_counter,
                package.model_sha256, m.model_version, m.change_control_id};
  Json where = {{"slot", SlotName(slot)}, {"model_version", m.model_version}};
  try {
    slots_[slot].WriteImage(package.model, info);
  } catch (const HostError& e) {
    Reject(std::string("writing ") + SlotName(slot) + " failed: " + e.what(), where);
  }
  std::vector<uint8_t> written = slots_[slot].ReadImage(info.image_bytes);
  if (Sha256Hex(written) != info.sha256) {
    slots_[slot].SetFlag(SlotFlag::kBad);
    Reject(std::string(SlotName(slot)) + " does not read back what was written", where);
  }
  InstallResult result;
  result.slot = slot;
  const AcceptanceCriteria& criteria = m.acceptance;
  try {
    result.metric = MeasureMetric(written, package.validation, criteria);
  } catch (const HostError& e) {
    slots_[slot].SetFlag(SlotFlag::kBad);
    Reject(std::string("validation could not run the new model: ") + e.what(), where);
  }
  if (running) {
    try {
      result.running_metric = MeasureMetric(ReadModel(*running), package.validation, criteria);
    } catch (const HostError&) {
      // The running model cannot take this validation set (a new input shape): no comparison.
    }
  }
  std::string verdict = Judge(result.metric, result.running_metric, criteria);
  Json validate = where;
  validate["metric"] = MetricName(criteria.metric);
  validate["value"] = FormatDecimal(result.metric);
  validate["running_value"] =
      result.running_metric ? FormatDecimal(*result.running_metric) : "none";
  validate["floor"] = FormatDecimal(criteria.floor);
  validate["max_drop"] = FormatDecimal(criteria.max_drop);
  validate["samples"] = package.validation.expected.shape.at(0);  // the gate checked its shape
  validate["result"] = verdict.empty() ? "pass" : "fail";
  log_.Append("validate", validate);
  if (!verdict.empty()) {
    slots_[slot].SetFlag(SlotFlag::kBad);
    where["metric"] = validate["metric"];
    where["value"] = validate["value"];
    Reject(verdict, where);
  }
  slots_[slot].SetFlag(SlotFlag::kValidated, result.metric);
  return result;
}

InstallResult UpdateAgent::Install(const VerifiedPackage& package) {
  RequireIntactLog("install");
  std::optional<RunningModel> running = Running();
  if (!running) throw HostError("no model is running: provision the device first");
  if (running->state == SlotState::kTrial)
    throw HostError("a model is on trial: confirm or revert it before installing");
  const UpdateManifest& m = package.manifest;
  log_.Append("install", {{"model_version", m.model_version},
                          {"release_counter", m.release_counter},
                          {"change_control_id", m.change_control_id},
                          {"targets_version", package.targets_version}});
  CheckPackage(package);
  int slot = 1 - running->slot;
  InstallResult result = WriteAndValidate(package, slot, running);
  slots_[slot].SetFlag(SlotFlag::kPending);
  log_.Append("activate", {{"slot", SlotName(slot)},
                           {"model_version", m.model_version},
                           {"mode", "pending: runs on trial from the next start"}});
  return result;
}

InstallResult UpdateAgent::InstallFrom(const std::string& source, const std::string& metadata_dir,
                                       const std::string& staging_dir, Fetcher& fetcher,
                                       const UpdaterConfig& config,
                                       std::optional<UnixTime> reference_time) {
  RequireIntactLog("install");
  VerifiedPackage package;
  try {
    package = DownloadUpdatePackage(source, metadata_dir, staging_dir,
                                    static_cast<int64_t>(slots_[0].ImageCapacity()), fetcher,
                                    config, reference_time);
  } catch (const HostError& e) {
    log_.Append("reject", {{"source", source}, {"reason", e.what()}});
    throw HostError(std::string("update rejected: ") + e.what());
  }
  return Install(package);
}

InstallResult UpdateAgent::Provision(const VerifiedPackage& package) {
  // Empty, or what a failed provisioning left (a bad or unfinished slot): nothing that could run.
  for (Slot& s : slots_) {
    SlotState state = s.Status().state;
    if (state != SlotState::kEmpty && state != SlotState::kBad && state != SlotState::kIncomplete)
      throw HostError("provision: the device already holds a model");
  }
  RequireIntactLog("provision");
  const UpdateManifest& m = package.manifest;
  log_.Append("install", {{"model_version", m.model_version},
                          {"release_counter", m.release_counter},
                          {"change_control_id", m.change_control_id},
                          {"mode", "factory provisioning"}});
  CheckPackage(package);
  InstallResult result = WriteAndValidate(package, 0, std::nullopt);
  slots_[0].SetFlag(SlotFlag::kConfirmed);
  counter_.AdvanceTo(m.release_counter);
  log_.Append(
      "confirm",
      {{"slot", "slot-a"}, {"model_version", m.model_version}, {"counter", counter_.Value()}});
  return result;
}

void UpdateAgent::Confirm() {
  RequireIntactLog("confirm");
  std::optional<RunningModel> running = Running();
  if (!running || running->state != SlotState::kTrial)
    throw HostError("confirm: no model is on trial");
  // The flag first, then the counter: a cut in between leaves a confirmed model whose counter the
  // next start raises (R4); the other order could leave no model the counter allows.
  slots_[running->slot].SetFlag(SlotFlag::kConfirmed);
  counter_.AdvanceTo(running->info.release_counter);
  log_.Append("confirm", {{"slot", SlotName(running->slot)},
                          {"model_version", running->info.model_version},
                          {"counter", counter_.Value()}});
}

void UpdateAgent::Revert() {
  RequireIntactLog("revert");
  for (int s = 0; s < 2; ++s) {
    SlotStatus status = slots_[s].Status();
    if (status.state == SlotState::kTrial || status.state == SlotState::kPending) {
      slots_[s].SetFlag(SlotFlag::kBad);
      log_.Append("revert",
                  {{"slot", SlotName(s)},
                   {"model_version", status.info->model_version},
                   {"reason", std::string("requested while ") + SlotStateName(status.state)}});
      return;
    }
  }
  std::optional<RunningModel> running = Running();
  int other = running ? 1 - running->slot : 0;
  SlotStatus previous = slots_[other].Status();
  if (!running || previous.state != SlotState::kConfirmed || !Runnable(other, previous)) {
    throw HostError(
        "revert: there is no trial to abandon and no earlier model the security counter allows");
  }
  slots_[running->slot].SetFlag(SlotFlag::kBad);
  log_.Append("revert",
              {{"slot", SlotName(running->slot)},
               {"model_version", running->info.model_version},
               {"reason", std::string("requested: back to ") + previous.info->model_version}});
}

DeviceStatus UpdateAgent::Status() {
  DeviceStatus status;
  status.slots[0] = slots_[0].Status();
  status.slots[1] = slots_[1].Status();
  status.counter = counter_.Value();
  status.running = Running();
  status.log = log_.Verify();
  return status;
}

std::vector<uint8_t> UpdateAgent::ReadModel(const RunningModel& model) {
  return slots_[model.slot].ReadImage(model.info.image_bytes);
}

}  // namespace vigil::ota
