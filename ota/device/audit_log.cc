#include "ota/device/audit_log.h"

#include <cstring>
#include <ctime>

#include "host/digest.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"

namespace vigil::ota {
namespace {

using Json = nlohmann::json;
const std::string kZeroHash(64, '0');
constexpr char kRegion[] = "audit-log";

struct Head {
  int64_t seq = 0;
  uint64_t end = 0;
  std::string hash;
};

std::string RecordHash(const Json& record_without_hash) {
  std::string canonical = CanonicalJson(record_without_hash);
  return Sha256Hex({reinterpret_cast<const uint8_t*>(canonical.data()), canonical.size()});
}

std::vector<uint8_t> HexBytes(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

AuditLog::AuditLog(Storage& storage)
    : storage_(storage), head_(storage, "log-head", {'V', 'G', 'L', 'H', 'E', 'A', 'D', '1'}) {}

std::string AuditLog::ReadUsed() {
  // The log ends at its first erased byte (0xFF never occurs in UTF-8 text).
  std::string used;
  uint64_t capacity = storage_.Capacity(kRegion);
  std::vector<uint8_t> chunk(16 << 10);
  for (uint64_t at = 0; at < capacity; at += chunk.size()) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), capacity - at));
    storage_.Read(kRegion, at, std::span<uint8_t>(chunk).first(n));
    const uint8_t* erased = static_cast<const uint8_t*>(std::memchr(chunk.data(), 0xFF, n));
    size_t keep = erased ? static_cast<size_t>(erased - chunk.data()) : n;
    used.append(reinterpret_cast<const char*>(chunk.data()), keep);
    if (erased) break;
  }
  return used;
}

AuditLog::Scan AuditLog::ScanLog() {
  Scan scan;
  AuditVerification& v = scan.verification;
  std::optional<DurableRecord::Payload> head_raw = head_.Read();
  Head head;
  if (head_raw) {
    std::memcpy(&head.seq, head_raw->data(), 8);
    std::memcpy(&head.end, head_raw->data() + 8, 8);
    head.hash = HexEncode({head_raw->data() + 16, 32});
  }
  std::string used = ReadUsed();
  std::string prev = kZeroHash;
  int64_t expected_seq = 1;
  uint64_t at = 0;
  auto problem = [&](const std::string& text) {
    v.ok = false;
    v.problems.push_back(text);
  };
  while (at < used.size()) {
    size_t newline = used.find('\n', at);
    bool complete = newline != std::string::npos;
    std::string line = used.substr(at, complete ? newline - at : std::string::npos);
    bool anchored_region = at < head.end;
    AuditRecord record;
    bool parsed = false;
    if (complete) {
      try {
        Json j = Json::parse(line);
        record.seq = j.at("seq").get<int64_t>();
        record.time = j.at("time").get<std::string>();
        record.event = j.at("event").get<std::string>();
        record.details = j.at("details");
        record.prev = j.at("prev").get<std::string>();
        record.hash = j.at("hash").get<std::string>();
        j.erase("hash");
        parsed = true;
        if (record.seq != expected_seq) {
          problem("record at byte " + std::to_string(at) + ": sequence " +
                  std::to_string(record.seq) + " where " + std::to_string(expected_seq) +
                  " was expected (a record was removed or reordered)");
        } else if (record.prev != prev) {
          problem("record " + std::to_string(record.seq) +
                  ": does not chain to the record before it (removed or reordered)");
        } else if (RecordHash(j) != record.hash) {
          problem("record " + std::to_string(record.seq) +
                  ": its hash does not match its content (edited)");
        }
      } catch (const std::exception&) {
        parsed = false;
      }
    }
    if (!parsed) {
      if (anchored_region)
        problem("bytes at offset " + std::to_string(at) +
                " are not an audit record (edited or corrupt)");
      else
        v.torn_tail = true;
      break;
    }
    if (!v.ok) break;
    scan.records.push_back(record);
    if (!anchored_region) ++v.unanchored;
    prev = record.hash;
    expected_seq = record.seq + 1;
    at = newline + 1;
    scan.end = at;
  }
  if (v.ok && head_raw) {
    bool found = false;
    for (const AuditRecord& r : scan.records)
      found = found || (r.seq == head.seq && r.hash == head.hash);
    if (!found) {
      int64_t last = scan.records.empty() ? 0 : scan.records.back().seq;
      problem("the log's head names record " + std::to_string(head.seq) +
              " but the chain ends at record " + std::to_string(last) +
              (last < head.seq ? " (records removed from the end)" : " (edited)"));
    }
  }
  v.records = static_cast<int64_t>(scan.records.size());
  return scan;
}

std::vector<AuditRecord> AuditLog::Records() {
  return ScanLog().records;
}

AuditVerification AuditLog::Verify() {
  return ScanLog().verification;
}

void AuditLog::Append(const std::string& event, Json details) {
  Scan scan = ScanLog();
  if (!scan.verification.ok) {
    throw HostError("audit log is damaged, refusing to append: " +
                    scan.verification.problems.front());
  }
  Json record = {{"seq", scan.records.empty() ? 1 : scan.records.back().seq + 1},
                 {"time", UtcNow()},
                 {"event", event},
                 {"details", details.is_null() ? Json::object() : std::move(details)},
                 {"prev", scan.records.empty() ? kZeroHash : scan.records.back().hash}};
  // Round-trip first, so bytes that are not UTF-8 (a path in an error message) are replaced
  // before hashing and the hash covers exactly what a reader parses back.
  record = Json::parse(record.dump(-1, ' ', false, Json::error_handler_t::replace));
  record["hash"] = RecordHash(record);
  std::string line = record.dump() + "\n";
  storage_.Write(kRegion, scan.end, {reinterpret_cast<const uint8_t*>(line.data()), line.size()});
  storage_.Sync(kRegion);
  DurableRecord::Payload payload{};
  int64_t seq = record["seq"].get<int64_t>();
  uint64_t end = scan.end + line.size();
  std::memcpy(payload.data(), &seq, 8);
  std::memcpy(payload.data() + 8, &end, 8);
  std::vector<uint8_t> hash = HexBytes(record["hash"].get<std::string>());
  std::memcpy(payload.data() + 16, hash.data(), 32);
  head_.Write(payload);
}

}  // namespace vigil::ota
