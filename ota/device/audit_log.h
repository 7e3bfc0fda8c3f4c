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
//  - Tamper-evident, not tamper-proof: whoever can rewrite the whole storage can rewrite the chain.
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
  explicit AuditLog(Storage& storage);

  void Append(const std::string& event, nlohmann::json details);
  std::vector<AuditRecord> Records();
  AuditVerification Verify();

 private:
  struct Scan {
    std::vector<AuditRecord> records;
    uint64_t end = 0;  // offset after the last intact record
    AuditVerification verification;
  };
  Scan ScanLog();
  std::string ReadUsed();

  Storage& storage_;
  DurableRecord head_;
};

std::string UtcNow();  // "2026-01-31T12:00:00Z"

}  // namespace vigil::ota
