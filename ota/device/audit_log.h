// AuditLog: the device's append-only, hash-chained record of what happened to its models
// (install, verify, validate, activate, confirm, revert, reject, boot).
//
// Contract
//  - One JSON object per line in the "audit-log" region:
//      {"seq":N,"time":"...","event":"validate","details":{...},"prev":"<hash of
//      N-1>","hash":"..."}
//    where hash = SHA-256 of the canonical JSON of the record without "hash", and the first
//    record's prev is 64 zeros. Details hold strings and integers only (canonical JSON).
//  - After each record is synced, the "log-head" DurableRecord is set to its sequence number,
//    hash and end offset, so removing records from the end is detected as well as editing,
//    removing or reordering records anywhere before it.
//  - A power cut may leave one record written but not anchored (accepted and anchored at the next
//    open) or a torn record at the end (ignored and overwritten by the next append).
//  - A full log rotates (the policy, docs/updates.md): when the next record does not fit, the
//    whole log is preserved (Storage::Preserve, as "audit-log.NNNNNN.full") and the region starts
//    again with a "log-continued" record whose prev is the SHA-256 of the preserved log's bytes
//    and whose sequence number follows the preserved log's last. Nothing is dropped; sequence
//    numbers run on across logs. A power cut between the preserve and that first record is
//    finished by the next append.
//  - A damaged log is never appended to, rewritten or truncated: Append throws, and the log
//    stays as it is until Recover preserves it whole ("audit-log.NNNNNN.damaged") and starts a new
//    log whose "log-continued" record pins it the same way and names the damage. The update agent
//    starts its model without the log (a damaged or unwritable log is a warning, not a stop).
//  - Verify checks the current log, and the link of its first record to the preserved log it
//    continues (which must still exist with the same bytes).
//  - Tamper-evident, not tamper-proof: whoever can rewrite the whole storage can rewrite the chain.
//  - Not safe for concurrent use: one process at a time (the device commands lock the folder).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ota/device/durable_record.h"
#include "ota/device/storage.h"

namespace vigil::ota {

struct AuditRecord {
  int64_t seq = 0;
  std::string time, event, prev, hash;
  nlohmann::json details;
};

struct AuditVerification {
  bool ok = true;
  int64_t records = 0;     // intact, chained records
  int64_t unanchored = 0;  // of those, written after the head was last set
  bool torn_tail = false;  // bytes of an unfinished record after the last one
  std::vector<std::string> problems;
};

class AuditLog {
 public:
  static constexpr char kContinuedEvent[] = "log-continued";

  explicit AuditLog(Storage& storage);

  // Throws HostError when the log is damaged (nothing is written then).
  void Append(const std::string& event, nlohmann::json details);
  std::vector<AuditRecord> Records();
  AuditVerification Verify();
  // Preserves a damaged log and starts a new one continuing from it; returns the preserved
  // copy's name. Throws HostError when the log verifies (nothing to recover).
  std::string Recover();
  // The names of the preserved logs, oldest first.
  std::vector<std::string> PreservedLogs();

 private:
  struct Scan {
    std::vector<AuditRecord> records;
    uint64_t end = 0;  // offset after the last intact record
    AuditVerification verification;
    // The last record before the region's next one: the region's own, or, while a rotation
    // was cut short (`unlinked` names the preserved log), the preserved log's last.
    int64_t last_seq = 0;
    std::string last_hash, unlinked;
  };
  struct Encoded {
    std::string line;
    int64_t seq = 0;
    std::string hash;
  };
  Scan ScanLog();
  std::string ReadUsed();
  // The newest preserved full log when the head still names its last record (a rotation cut
  // short before the new log's first record was anchored), else "".
  std::string RotationCutShort(int64_t head_seq, const std::string& head_hash);
  // Why the first record of a continued log does not link to its preserved log ("" if it does).
  std::string LinkProblem(const AuditRecord& first);
  // Starts the (empty) region with the record that continues preserved log `name`.
  void Link(int64_t last_seq, const std::string& name, nlohmann::json details);
  static Encoded Encode(int64_t seq, const std::string& prev, const std::string& event,
                        const nlohmann::json& details);
  void Commit(uint64_t at, const Encoded& record);
  std::string NextPreservedName(const std::string& reason);

  Storage& storage_;
  DurableRecord head_;
};

std::string UtcNow();  // "2026-01-31T12:00:00Z"

}  // namespace vigil::ota
