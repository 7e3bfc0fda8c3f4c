#include "ota/device/audit_log.h"

#include <algorithm>
#include <cstdio>
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
const std::string kPreservedPrefix = "audit-log.";  // then a 6-digit number, '.', the reason

struct Head {
  int64_t seq = 0;
  uint64_t end = 0;
  std::string hash;
};

Head DecodeHead(const DurableRecord::Payload& raw) {
  Head head;
  std::memcpy(&head.seq, raw.data(), 8);
  std::memcpy(&head.end, raw.data() + 8, 8);
  head.hash = HexEncode({raw.data() + 16, 32});
  return head;
}

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

// One line as a record, or nothing when it is none (torn, or edited into something else);
// `hashed` receives what its hash covers.
std::optional<AuditRecord> ParseRecord(const std::string& line, Json* hashed) {
  try {
    Json j = Json::parse(line);
    AuditRecord record;
    record.seq = j.at("seq").get<int64_t>();
    record.time = j.at("time").get<std::string>();
    record.event = j.at("event").get<std::string>();
    record.details = j.at("details");
    record.prev = j.at("prev").get<std::string>();
    record.hash = j.at("hash").get<std::string>();
    j.erase("hash");
    if (hashed) *hashed = std::move(j);
    return record;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The record on the line that ends, with its newline, at offset `end` of `text`.
std::optional<AuditRecord> RecordEndingAt(const std::string& text, uint64_t end) {
  if (end == 0 || end > text.size() || text[end - 1] != '\n') return std::nullopt;
  size_t newline = end - 1;
  size_t before = newline == 0 ? std::string::npos : text.rfind('\n', newline - 1);
  size_t start = before == std::string::npos ? 0 : before + 1;
  return ParseRecord(text.substr(start, newline - start), nullptr);
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

std::vector<std::string> AuditLog::PreservedLogs() {
  std::vector<std::string> names;
  for (const std::string& name : storage_.PreservedNames()) {
    if (name.starts_with(kPreservedPrefix)) names.push_back(name);
  }
  return names;
}

std::string AuditLog::NextPreservedName(const std::string& reason) {
  std::vector<std::string> names = PreservedLogs();
  long long number = 1;
  if (!names.empty()) number += std::atoll(names.back().c_str() + kPreservedPrefix.size());
  char digits[24];
  std::snprintf(digits, sizeof(digits), "%06lld", number);
  return kPreservedPrefix + digits + "." + reason;
}

std::string AuditLog::RotationCutShort(int64_t head_seq, const std::string& head_hash) {
  std::vector<std::string> names = PreservedLogs();
  if (names.empty() || !names.back().ends_with(".full")) return "";
  std::optional<std::vector<uint8_t>> bytes = storage_.ReadPreserved(names.back());
  std::string text(bytes->begin(), bytes->end());
  // A log is rotated only when it verifies, so it ends with a whole record.
  std::optional<AuditRecord> last = RecordEndingAt(text, text.size());
  return last && last->seq == head_seq && last->hash == head_hash ? names.back() : "";
}

std::string AuditLog::LinkProblem(const AuditRecord& first) {
  std::string where = "record " + std::to_string(first.seq) + " continues ";
  const Json* name = first.details.is_object() && first.details.contains("preserved")
                         ? &first.details["preserved"]
                         : nullptr;
  if (!name || !name->is_string() || !name->get<std::string>().starts_with(kPreservedPrefix) ||
      name->get<std::string>().find('/') != std::string::npos) {
    return where + "no preserved log it names (edited)";
  }
  std::optional<std::vector<uint8_t>> bytes = storage_.ReadPreserved(name->get<std::string>());
  if (!bytes)
    return where + "the preserved log '" + name->get<std::string>() + "', which is missing";
  if (Sha256Hex(*bytes) != first.prev) {
    return where + "the preserved log '" + name->get<std::string>() +
           "', whose bytes have changed since (its SHA-256 is not the one recorded)";
  }
  return "";
}

AuditLog::Scan AuditLog::ScanLog() {
  Scan scan;
  AuditVerification& v = scan.verification;
  std::optional<DurableRecord::Payload> head_raw = head_.Read();
  Head head = head_raw ? DecodeHead(*head_raw) : Head{};
  std::string used = ReadUsed();
  scan.last_hash = kZeroHash;
  std::optional<AuditRecord> at_head = RecordEndingAt(used, head.end);
  if (head_raw && !(at_head && at_head->seq == head.seq && at_head->hash == head.hash)) {
    scan.unlinked = RotationCutShort(head.seq, head.hash);
    if (!scan.unlinked.empty()) {  // nothing in the region is anchored yet
      scan.last_seq = head.seq;
      scan.last_hash = head.hash;
      head.end = 0;
    }
  }
  std::string prev = kZeroHash;
  int64_t expected_seq = 1;
  uint64_t at = 0;
  auto problem = [&](const std::string& text) {
    v.ok = false;
    v.problems.push_back(text);
  };
  while (at < used.size()) {
    size_t newline = used.find('\n', at);
    bool anchored_region = at < head.end;
    Json hashed;
    std::optional<AuditRecord> parsed = newline == std::string::npos
                                            ? std::nullopt
                                            : ParseRecord(used.substr(at, newline - at), &hashed);
    if (!parsed) {
      if (anchored_region)
        problem("bytes at offset " + std::to_string(at) +
                " are not an audit record (edited or corrupt)");
      else
        v.torn_tail = true;
      break;
    }
    const AuditRecord& record = *parsed;
    std::string link;
    if (scan.records.empty() && record.event == kContinuedEvent) {
      expected_seq = record.seq;  // the sequence runs on from the preserved log
      prev = record.prev;
      link = LinkProblem(record);
    }
    if (!link.empty()) {
      problem(link);
    } else if (record.seq != expected_seq) {
      problem("record at byte " + std::to_string(at) + ": sequence " + std::to_string(record.seq) +
              " where " + std::to_string(expected_seq) +
              " was expected (a record was removed or reordered)");
    } else if (record.prev != prev) {
      problem("record " + std::to_string(record.seq) +
              ": does not chain to the record before it (removed or reordered)");
    } else if (RecordHash(hashed) != record.hash) {
      problem("record " + std::to_string(record.seq) +
              ": its hash does not match its content (edited)");
    }
    if (!v.ok) break;
    scan.records.push_back(record);
    if (!anchored_region) ++v.unanchored;
    prev = record.hash;
    expected_seq = record.seq + 1;
    at = newline + 1;
    scan.end = at;
  }
  if (v.ok && head_raw && scan.unlinked.empty()) {
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
  if (!scan.records.empty()) {
    scan.last_seq = scan.records.back().seq;
    scan.last_hash = scan.records.back().hash;
    scan.unlinked.clear();  // its first record landed; the next append goes after it
  }
  return scan;
}

std::vector<AuditRecord> AuditLog::Records() {
  return ScanLog().records;
}

AuditVerification AuditLog::Verify() {
  return ScanLog().verification;
}

AuditLog::Encoded AuditLog::Encode(int64_t seq, const std::string& prev, const std::string& event,
                                   const Json& details) {
  Json record = {{"seq", seq},
                 {"time", UtcNow()},
                 {"event", event},
                 {"details", details.is_null() ? Json::object() : details},
                 {"prev", prev}};
  // Round-trip first, so bytes that are not UTF-8 (a path in an error message) are replaced
  // before hashing and the hash covers exactly what a reader parses back.
  record = Json::parse(record.dump(-1, ' ', false, Json::error_handler_t::replace));
  std::string hash = RecordHash(record);
  record["hash"] = hash;
  return {record.dump() + "\n", seq, hash};
}

void AuditLog::Commit(uint64_t at, const Encoded& record) {
  storage_.Write(kRegion, at,
                 {reinterpret_cast<const uint8_t*>(record.line.data()), record.line.size()});
  storage_.Sync(kRegion);
  DurableRecord::Payload payload{};
  uint64_t end = at + record.line.size();
  std::memcpy(payload.data(), &record.seq, 8);
  std::memcpy(payload.data() + 8, &end, 8);
  std::vector<uint8_t> hash = HexBytes(record.hash);
  std::memcpy(payload.data() + 16, hash.data(), 32);
  head_.Write(payload);
}

void AuditLog::Link(int64_t last_seq, const std::string& name, Json details) {
  std::optional<std::vector<uint8_t>> bytes = storage_.ReadPreserved(name);
  if (!bytes) throw HostError("audit log: the preserved log '" + name + "' is missing");
  details["preserved"] = name;
  details["preserved_bytes"] = bytes->size();
  Commit(0, Encode(last_seq + 1, Sha256Hex(*bytes), kContinuedEvent, details));
}

void AuditLog::Append(const std::string& event, Json details) {
  Scan scan = ScanLog();
  if (!scan.verification.ok) {
    throw HostError("audit log is damaged, refusing to append: " +
                    scan.verification.problems.front());
  }
  if (!scan.unlinked.empty()) {  // finish the rotation a power cut interrupted
    Link(scan.last_seq, scan.unlinked, {{"reason", "full"}});
    scan = ScanLog();
  }
  Encoded record = Encode(scan.last_seq + 1, scan.last_hash, event, details);
  if (scan.end + record.line.size() > storage_.Capacity(kRegion)) {
    // Full: keep the whole log and go on in a fresh one that pins it (the rotation policy).
    std::string name = NextPreservedName("full");
    storage_.Preserve(kRegion, name);
    Link(scan.last_seq, name, {{"reason", "full"}});
    scan = ScanLog();
    record = Encode(scan.last_seq + 1, scan.last_hash, event, details);
  }
  Commit(scan.end, record);
}

std::string AuditLog::Recover() {
  Scan scan = ScanLog();
  if (scan.verification.ok) throw HostError("the audit log verifies: there is nothing to recover");
  std::optional<DurableRecord::Payload> head = head_.Read();
  // Number on from the highest record the damaged log claims, so no number is used twice.
  int64_t last = std::max(scan.last_seq, head ? DecodeHead(*head).seq : 0);
  std::string name = NextPreservedName("damaged");
  storage_.Preserve(kRegion, name);
  Link(last, name,
       {{"reason", "damaged"},
        {"problem", scan.verification.problems.front()},
        {"intact_records", scan.verification.records}});
  return name;
}

}  // namespace vigil::ota
