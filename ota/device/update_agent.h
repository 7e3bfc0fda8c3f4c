// UpdateAgent: the device side of a model update. Owns the two model slots, the anti-rollback
// counter and the audit log on one Storage, and is the only code that changes them.
//
// Contract
//  - Install takes a VerifiedPackage (TUF already checked signatures, versions, expiry and
//    hashes) and refuses it, logging "reject" with the reason, unless: the device's hardware id is
//    listed, the runtime ABI matches, the release counter is >= the device's counter, and the
//    model fits a slot. It then writes the slot that is not running, checks the written bytes,
//    and runs the validation gate (ota/device/validation_gate.h) on both the new and the running
//    model. Only if the gate passes is the slot marked validated and pending; nothing runs it yet.
//  - Boot is the start-up decision table (below); it is the only place a pending model starts its
//    trial and where an unconfirmed trial is reverted. Confirm makes the trial permanent and then
//    advances the counter; Revert abandons a trial or pending model (or, with none, goes back to
//    the other confirmed model when the counter still allows it).
//  - Every step is one or more synced writes ordered so that a power cut at any point leaves
//    exactly one runnable model (the power-cut simulator checks this at every cut point).
//  - Failures throw HostError with the reason; the reason is also in the audit log.
//  - Starting never depends on the audit log: Boot decides by the slots and the counter alone and
//    records the start when it can; a damaged log (left untouched for `AuditLog::Recover`) or one
//    that cannot be written is a warning in BootResult. Every change (provision, install,
//    confirm, revert) is refused while the log is damaged, so none goes unrecorded.
//
// Boot decision table, first matching rule per slot, in this order:
//   R1 a slot on trial (started once, never confirmed)  -> mark bad, log "revert"
//   R2 a pending slot, image intact, counter allows it   -> mark trial, run it (on trial)
//   R3 a pending slot otherwise                          -> mark bad, log "reject"
//   R4 newest confirmed slot, image intact, counter ok   -> run it; raise the counter to its
//                                                           release counter if a confirm was
//                                                           cut short
//   R5 nothing runnable                                  -> no model (the monitor stays in
//                                                           its safe state)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ota/device/audit_log.h"
#include "ota/device/security_counter.h"
#include "ota/device/slot_trailer.h"
#include "ota/device/storage.h"
#include "ota/tuf/package_download.h"

namespace vigil::ota {

struct RunningModel {
  int slot = -1;                        // 0 = slot-a, 1 = slot-b
  SlotState state = SlotState::kEmpty;  // kTrial or kConfirmed
  SlotInfo info;
};

struct BootResult {
  std::optional<RunningModel> running;
  std::vector<std::string> rules;     // the rules that fired, e.g. "R1 slot-b: ..."
  std::vector<std::string> warnings;  // what the start could not record, and why
};

struct InstallResult {
  int slot = -1;
  double metric = 0;
  std::optional<double> running_metric;
};

struct DeviceStatus {
  SlotStatus slots[2];
  int64_t counter = 0;
  std::optional<RunningModel> running;
  AuditVerification log;
};

class UpdateAgent {
 public:
  UpdateAgent(Storage& storage, std::string hardware_id);

  BootResult Boot();
  // The factory install of the first model: both slots empty; the floor applies, no trial.
  InstallResult Provision(const VerifiedPackage& package);
  InstallResult Install(const VerifiedPackage& package);
  // Downloads `source` through the TUF client (trusted metadata in metadata_dir), then Install.
  // A download or verification failure is logged as "reject" with its reason before it is thrown.
  InstallResult InstallFrom(const std::string& source, const std::string& metadata_dir,
                            const std::string& staging_dir, Fetcher& fetcher,
                            const UpdaterConfig& config = {},
                            std::optional<UnixTime> reference_time = std::nullopt);
  void Confirm();
  void Revert();

  DeviceStatus Status();
  // What runs now, by the same rules as Boot but without writing anything.
  std::optional<RunningModel> Running();
  std::vector<uint8_t> ReadModel(const RunningModel& model);
  AuditLog& log() { return log_; }

 private:
  [[noreturn]] void Reject(const std::string& reason,
                           nlohmann::json details = nlohmann::json::object());
  InstallResult WriteAndValidate(const VerifiedPackage& package, int slot,
                                 const std::optional<RunningModel>& running);
  void CheckPackage(const VerifiedPackage& package);
  void RequireIntactLog(const std::string& action);
  bool Runnable(int slot, const SlotStatus& status);

  Storage& storage_;
  std::string hardware_id_;
  Slot slots_[2];
  SecurityCounter counter_;
  AuditLog log_;
};

}  // namespace vigil::ota
