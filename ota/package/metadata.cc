#include "ota/package/metadata.h"

#include <fnmatch.h>
#include <openssl/evp.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "host/digest.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"

namespace vigil::ota {
namespace {

using Json = nlohmann::json;

const Json& Field(const Json& object, const char* key, const std::string& where) {
  if (!object.is_object()) throw HostError(where + ": expected an object");
  auto it = object.find(key);
  if (it == object.end()) throw HostError(where + ": missing field '" + key + "'");
  return *it;
}

std::string String(const Json& object, const char* key, const std::string& where) {
  const Json& v = Field(object, key, where);
  if (!v.is_string()) throw HostError(where + ": field '" + key + "' must be a string");
  return v.get<std::string>();
}

int64_t Integer(const Json& object, const char* key, const std::string& where) {
  const Json& v = Field(object, key, where);
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{INT64_MAX}) {
    throw HostError(where + ": field '" + key + "' is out of range");
  }
  if (!v.is_number_integer()) throw HostError(where + ": field '" + key + "' must be an integer");
  return v.get<int64_t>();
}

bool Boolean(const Json& object, const char* key, const std::string& where) {
  const Json& v = Field(object, key, where);
  if (!v.is_boolean()) throw HostError(where + ": field '" + key + "' must be a boolean");
  return v.get<bool>();
}

std::vector<std::string> StringList(const Json& v, const std::string& where) {
  if (!v.is_array()) throw HostError(where + ": must be a list of strings");
  std::vector<std::string> out;
  for (const Json& item : v) {
    if (!item.is_string()) throw HostError(where + ": must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> Hashes(const Json& v, const std::string& where) {
  if (!v.is_object() || v.empty()) throw HostError(where + ": 'hashes' must be a non-empty object");
  std::map<std::string, std::string> out;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it.value().is_string())
      throw HostError(where + ": hash '" + it.key() + "' must be a string");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

void ParseRole(const Json& v, Role& role, const std::string& where) {
  role.keyids = StringList(Field(v, "keyids", where), where + ".keyids");
  std::set<std::string> unique(role.keyids.begin(), role.keyids.end());
  if (unique.size() != role.keyids.size()) throw HostError(where + ": a keyid is listed twice");
  role.threshold = Integer(v, "threshold", where);
  if (role.threshold < 1) throw HostError(where + ": threshold must be at least 1");
}

std::map<std::string, PublicKey> ParseKeys(const Json& v, const std::string& where) {
  if (!v.is_object()) throw HostError(where + ": 'keys' must be an object");
  std::map<std::string, PublicKey> keys;
  for (auto it = v.begin(); it != v.end(); ++it) {
    keys.emplace(it.key(), PublicKey::FromTufJson(it.value(), where + ".keys." + it.key()));
  }
  return keys;
}

MetaFile ParseMetaFile(const Json& v, const std::string& where) {
  MetaFile meta;
  meta.version = Integer(v, "version", where);
  if (meta.version < 1) throw HostError(where + ": version must be at least 1");
  if (v.contains("length")) {
    meta.length = Integer(v, "length", where);
    if (*meta.length < 0) throw HostError(where + ": length must not be negative");
  }
  if (v.contains("hashes")) meta.hashes = Hashes(v["hashes"], where);
  return meta;
}

void ParseCommon(const Envelope& envelope, const char* type, SignedCommon& common,
                 const std::string& where) {
  const Json& signed_part = envelope.document["signed"];
  common.type = String(signed_part, "_type", where);
  if (common.type != type) {
    throw HostError(where + ": expected '" + type + "' metadata, got '" + common.type + "'");
  }
  common.spec_version = String(signed_part, "spec_version", where);
  // Accept "1.x" and "1.x.y" (the client speaks specification 1), as python-tuf does.
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = common.spec_version.find('.', start)) != std::string::npos;
       start = dot + 1) {
    parts.push_back(common.spec_version.substr(start, dot - start));
  }
  parts.push_back(common.spec_version.substr(start));
  bool digits = true;
  for (const std::string& p : parts) {
    digits = digits && !p.empty() && p.find_first_not_of("0123456789") == std::string::npos;
  }
  if ((parts.size() != 2 && parts.size() != 3) || !digits || parts[0] != "1") {
    throw HostError(where + ": unsupported spec_version '" + common.spec_version + "'");
  }
  common.version = Integer(signed_part, "version", where);
  if (common.version < 1) throw HostError(where + ": version must be at least 1");
  common.expires = ParseExpires(String(signed_part, "expires", where), where);
}

bool PathMatchesPattern(const std::string& path, const std::string& pattern) {
  // Segment by segment, so '*' never crosses a '/' (python-tuf's rule); backslash is literal.
  auto split = [](const std::string& s) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t slash; (slash = s.find('/', start)) != std::string::npos; start = slash + 1) {
      parts.push_back(s.substr(start, slash - start));
    }
    parts.push_back(s.substr(start));
    return parts;
  };
  std::vector<std::string> a = split(path), b = split(pattern);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (fnmatch(b[i].c_str(), a[i].c_str(), FNM_NOESCAPE) != 0) return false;
  }
  return true;
}

std::string Sha256HexOf(const std::string& text) {
  return Sha256Hex({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

}  // namespace

UnixTime ParseExpires(const std::string& text, const std::string& where) {
  // Exactly YYYY-MM-DDTHH:MM:SSZ, as python-tuf's strptime pattern.
  static const char kShape[] = "dddd-dd-ddTdd:dd:ddZ";
  bool ok = text.size() == sizeof(kShape) - 1;
  for (size_t i = 0; ok && i < text.size(); ++i) {
    ok = kShape[i] == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == kShape[i];
  }
  std::tm tm{};
  if (ok) {
    auto num = [&](size_t pos, size_t len) { return std::stoi(text.substr(pos, len)); };
    tm.tm_year = num(0, 4) - 1900;
    tm.tm_mon = num(5, 2) - 1;
    tm.tm_mday = num(8, 2);
    tm.tm_hour = num(11, 2);
    tm.tm_min = num(14, 2);
    tm.tm_sec = num(17, 2);
    ok = tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 && tm.tm_hour < 24 &&
         tm.tm_min < 60 && tm.tm_sec < 61;
  }
  if (!ok) throw HostError(where + ": expires '" + text + "' is not YYYY-MM-DDTHH:MM:SSZ");
  return static_cast<UnixTime>(timegm(&tm));
}

std::string FormatExpires(UnixTime time) {
  std::time_t t = static_cast<std::time_t>(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string HashHex(const std::string& algorithm, std::string_view data) {
  static const std::set<std::string> kSupported = {"sha224", "sha256", "sha384", "sha512"};
  const EVP_MD* md =
      kSupported.count(algorithm) ? EVP_get_digestbyname(algorithm.c_str()) : nullptr;
  if (!md) throw HostError("unsupported hash algorithm '" + algorithm + "'");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, md, nullptr) != 1) {
    throw HostError("cannot compute " + algorithm);
  }
  return HexEncode({digest, size});
}

void VerifyLengthAndHashes(std::string_view data, std::optional<int64_t> length,
                           const std::map<std::string, std::string>& hashes,
                           const std::string& name) {
  if (length && static_cast<int64_t>(data.size()) != *length) {
    throw HostError(name + ": length " + std::to_string(data.size()) +
                    " does not match the expected " + std::to_string(*length));
  }
  for (const auto& [algorithm, expected] : hashes) {
    std::string actual;
    try {
      actual = HashHex(algorithm, data);
    } catch (const HostError& e) {
      throw HostError(name + ": " + e.what());
    }
    if (actual != expected)
      throw HostError(name + ": " + algorithm + " hash does not match the signed metadata");
  }
}

bool DelegatedRole::IsDelegatedPath(const std::string& target_path) const {
  if (paths) {
    for (const std::string& pattern : *paths) {
      if (PathMatchesPattern(target_path, pattern)) return true;
    }
    return false;
  }
  if (path_hash_prefixes) {
    std::string hash = Sha256HexOf(target_path);
    for (const std::string& prefix : *path_hash_prefixes) {
      if (hash.compare(0, prefix.size(), prefix) == 0) return true;
    }
  }
  return false;
}

namespace {
size_t SuffixLength(int bit_length) {
  uint64_t last_bin = (uint64_t{1} << bit_length) - 1;
  char buffer[32];
  return static_cast<size_t>(
      std::snprintf(buffer, sizeof(buffer), "%llx", static_cast<unsigned long long>(last_bin)));
}
}  // namespace

std::string SuccinctRoles::RoleForTarget(const std::string& target_path) const {
  auto digest = Sha256({reinterpret_cast<const uint8_t*>(target_path.data()), target_path.size()});
  uint32_t first = (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) |
                   (uint32_t{digest[2]} << 8) | digest[3];
  uint64_t bin = uint64_t{first} >> (32 - bit_length);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%0*llx", static_cast<int>(SuffixLength(bit_length)),
                static_cast<unsigned long long>(bin));
  return name_prefix + "-" + buffer;
}

bool SuccinctRoles::IsDelegatedRole(const std::string& role_name) const {
  std::string prefix = name_prefix + "-";
  if (role_name.compare(0, prefix.size(), prefix) != 0) return false;
  std::string suffix = role_name.substr(prefix.size());
  if (suffix.size() != SuffixLength(bit_length) ||
      suffix.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return false;
  }
  return std::stoull(suffix, nullptr, 16) < (uint64_t{1} << bit_length);
}

std::vector<std::pair<std::string, bool>> Delegations::RolesForTarget(
    const std::string& target_path) const {
  std::vector<std::pair<std::string, bool>> out;
  if (succinct_roles) {
    out.emplace_back(succinct_roles->RoleForTarget(target_path), false);
    return out;
  }
  for (const DelegatedRole& role : roles) {
    if (role.IsDelegatedPath(target_path)) out.emplace_back(role.name, role.terminating);
  }
  return out;
}

const Role* Delegations::FindRole(const std::string& role_name) const {
  for (const DelegatedRole& role : roles) {
    if (role.name == role_name) return &role;
  }
  if (succinct_roles && succinct_roles->IsDelegatedRole(role_name)) return &*succinct_roles;
  return nullptr;
}

Envelope ParseEnvelope(const std::string& bytes, const std::string& where) {
  Envelope envelope;
  envelope.document = ParseJson(bytes, where);
  const Json& doc = envelope.document;
  if (!doc.is_object()) throw HostError(where + ": metadata must be a JSON object");
  const Json& signed_part = Field(doc, "signed", where);
  if (!signed_part.is_object()) throw HostError(where + ": 'signed' must be an object");
  String(signed_part, "_type", where + ".signed");
  const Json& signatures = Field(doc, "signatures", where);
  if (!signatures.is_array()) throw HostError(where + ": 'signatures' must be a list");
  for (const Json& s : signatures) {
    std::string keyid = String(s, "keyid", where + ".signatures");
    std::string sig = String(s, "sig", where + ".signatures");
    if (!envelope.signatures.emplace(keyid, sig).second) {
      throw HostError(where + ": more than one signature by keyid " + keyid);
    }
  }
  envelope.canonical_signed = CanonicalJson(signed_part);
  return envelope;
}

RootMetadata ParseRoot(const Envelope& envelope, const std::string& where) {
  RootMetadata root;
  ParseCommon(envelope, "root", root, where);
  const Json& s = envelope.document["signed"];
  root.consistent_snapshot =
      s.contains("consistent_snapshot") ? Boolean(s, "consistent_snapshot", where) : false;
  root.keys = ParseKeys(Field(s, "keys", where), where);
  const Json& roles = Field(s, "roles", where);
  if (!roles.is_object()) throw HostError(where + ": 'roles' must be an object");
  for (auto it = roles.begin(); it != roles.end(); ++it) {
    ParseRole(it.value(), root.roles[it.key()], where + ".roles." + it.key());
  }
  std::set<std::string> names;
  for (const auto& entry : root.roles)
    names.insert(entry.first);
  if (names != std::set<std::string>{"root", "snapshot", "targets", "timestamp"}) {
    throw HostError(where + ": roles must be exactly root, snapshot, targets and timestamp");
  }
  return root;
}

TimestampMetadata ParseTimestamp(const Envelope& envelope, const std::string& where) {
  TimestampMetadata timestamp;
  ParseCommon(envelope, "timestamp", timestamp, where);
  const Json& meta = Field(envelope.document["signed"], "meta", where);
  timestamp.snapshot_meta =
      ParseMetaFile(Field(meta, "snapshot.json", where + ".meta"), where + ".meta.snapshot.json");
  return timestamp;
}

SnapshotMetadata ParseSnapshot(const Envelope& envelope, const std::string& where) {
  SnapshotMetadata snapshot;
  ParseCommon(envelope, "snapshot", snapshot, where);
  const Json& meta = Field(envelope.document["signed"], "meta", where);
  if (!meta.is_object()) throw HostError(where + ": 'meta' must be an object");
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    snapshot.meta[it.key()] = ParseMetaFile(it.value(), where + ".meta." + it.key());
  }
  return snapshot;
}

namespace {

Delegations ParseDelegations(const Json& v, const std::string& where) {
  Delegations delegations;
  delegations.keys = ParseKeys(Field(v, "keys", where), where);
  bool has_roles = v.contains("roles"), has_succinct = v.contains("succinct_roles");
  if (has_roles == has_succinct)
    throw HostError(where + ": exactly one of 'roles' and 'succinct_roles' is required");
  if (has_succinct) {
    const Json& s = v["succinct_roles"];
    SuccinctRoles succinct;
    ParseRole(s, succinct, where + ".succinct_roles");
    int64_t bits = Integer(s, "bit_length", where + ".succinct_roles");
    if (bits < 1 || bits > 32) throw HostError(where + ": succinct_roles bit_length must be 1..32");
    succinct.bit_length = static_cast<int>(bits);
    succinct.name_prefix = String(s, "name_prefix", where + ".succinct_roles");
    delegations.succinct_roles = succinct;
    return delegations;
  }
  const Json& roles = v["roles"];
  if (!roles.is_array()) throw HostError(where + ": 'roles' must be a list");
  std::set<std::string> names;
  for (const Json& r : roles) {
    DelegatedRole role;
    role.name = String(r, "name", where + ".roles");
    std::string role_where = where + ".roles." + role.name;
    static const std::set<std::string> kTopLevel = {"root", "snapshot", "targets", "timestamp"};
    if (role.name.empty() || kTopLevel.count(role.name)) {
      throw HostError(role_where +
                      ": a delegated role may not be empty or use a top-level role name");
    }
    if (!names.insert(role.name).second) throw HostError(role_where + ": delegated twice");
    ParseRole(r, role, role_where);
    role.terminating = Boolean(r, "terminating", role_where);
    if (r.contains("paths") && r.contains("path_hash_prefixes")) {
      throw HostError(role_where + ": only one of 'paths' and 'path_hash_prefixes' may be given");
    }
    if (r.contains("paths")) role.paths = StringList(r["paths"], role_where + ".paths");
    if (r.contains("path_hash_prefixes")) {
      role.path_hash_prefixes =
          StringList(r["path_hash_prefixes"], role_where + ".path_hash_prefixes");
    }
    delegations.roles.push_back(std::move(role));
  }
  return delegations;
}

}  // namespace

TargetsMetadata ParseTargets(const Envelope& envelope, const std::string& where) {
  TargetsMetadata targets;
  ParseCommon(envelope, "targets", targets, where);
  const Json& s = envelope.document["signed"];
  const Json& files = Field(s, "targets", where);
  if (!files.is_object()) throw HostError(where + ": 'targets' must be an object");
  for (auto it = files.begin(); it != files.end(); ++it) {
    std::string file_where = where + ".targets." + it.key();
    TargetFile file;
    file.path = it.key();
    file.length = Integer(it.value(), "length", file_where);
    if (file.length < 0) throw HostError(file_where + ": length must not be negative");
    file.hashes = Hashes(Field(it.value(), "hashes", file_where), file_where);
    if (it.value().contains("custom")) file.custom = it.value()["custom"];
    targets.targets.emplace(file.path, std::move(file));
  }
  if (s.contains("delegations"))
    targets.delegations = ParseDelegations(s["delegations"], where + ".delegations");
  return targets;
}

void VerifyRoleSignatures(const Envelope& envelope, const std::map<std::string, PublicKey>& keys,
                          const Role& role, const std::string& role_name) {
  // Role keyids are unique (ParseRole), so each key counts once however often it signed.
  int64_t valid = 0;
  for (const std::string& keyid : role.keyids) {
    auto key = keys.find(keyid);
    auto signature = envelope.signatures.find(keyid);
    if (key == keys.end() || signature == envelope.signatures.end()) continue;
    if (key->second.Verify(signature->second, envelope.canonical_signed)) ++valid;
  }
  if (valid < role.threshold) {
    throw HostError(role_name + ": signed by " + std::to_string(valid) + " of the " +
                    std::to_string(role.threshold) + " keys required (threshold not met)");
  }
}

namespace {

// Why `path` could leave a targets folder, or "" when it cannot.
std::string TargetPathProblem(std::string_view path) {
  if (path.empty()) return "empty";
  if (path.find('\0') != std::string_view::npos) return "contains NUL";
  if (path.find('\\') != std::string_view::npos) return "contains a backslash";
  if (path.front() == '/') return "absolute";
  for (size_t start = 0, end; start <= path.size(); start = end + 1) {
    end = std::min(path.find('/', start), path.size());
    std::string_view component = path.substr(start, end - start);
    if (component.empty()) return "an empty component";
    if (component == ".." || component == ".")
      return "a '" + std::string(component) + "' component";
  }
  return "";
}

}  // namespace

void RequireConfinedTargetPath(std::string_view path) {
  std::string problem = TargetPathProblem(path);
  if (!problem.empty()) {
    throw HostError("target path '" + PercentEncode(path, "/!$&'()*+,:;=@~ ") + "': " + problem +
                    " (it must stay inside targets/)");
  }
}

std::string PercentEncode(std::string_view text, std::string_view safe) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                c == '_' || c == '.' || c == '-' || c == '~' ||
                safe.find(c) != std::string_view::npos;
    if (keep) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

}  // namespace vigil::ota
