// TUF metadata: the four top-level roles and delegated targets, parsed from untrusted bytes and
// checked for shape, plus the threshold signature check every role is trusted through.
//
// Contract
//  - Parse* functions accept the JSON of the TUF specification (v1.x) and reject anything malformed
//    with a HostError naming the file and the field: a wrong type, a version < 1, an expiry not in
//    "YYYY-MM-DDTHH:MM:SSZ", a role listing a keyid twice, a root without all four roles,
//    two signatures by one keyid, a delegation with both 'paths' and 'path_hash_prefixes'.
//  - Fields the client does not know are kept: a signature covers the canonical JSON of the whole
//    'signed' object as received (spec section 4).
//  - VerifyRoleSignatures counts each keyid of the role at most once, ignores keyids the delegator
//    does not list and keys it cannot use, and throws unless `threshold` distinct keys signed.
//  - Nothing here knows about time, versions of earlier metadata or the network: the ordering rules
//    of the client workflow live in ota/tuf/trusted_metadata_set.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ota/package/signing_key.h"

namespace vigil::ota {

// Seconds since the Unix epoch, UTC.
using UnixTime = int64_t;
UnixTime ParseExpires(const std::string& text, const std::string& name_for_errors);
std::string FormatExpires(UnixTime time);

// A file's expected length and hashes (as snapshot lists targets metadata and timestamp lists
// snapshot). Throws HostError naming the file on a mismatch or an unsupported hash algorithm.
void VerifyLengthAndHashes(std::string_view data, std::optional<int64_t> length,
                           const std::map<std::string, std::string>& hashes,
                           const std::string& name);
// Hex digest with a TUF hash algorithm name ("sha256", "sha512", ...); throws when unsupported.
std::string HashHex(const std::string& algorithm, std::string_view data);

struct MetaFile {
  int64_t version = 1;
  std::optional<int64_t> length;
  std::map<std::string, std::string> hashes;  // empty when the repository lists none
  void Verify(std::string_view data, const std::string& name) const {
    VerifyLengthAndHashes(data, length, hashes, name);
  }
};

struct TargetFile {
  std::string path;
  int64_t length = 0;
  std::map<std::string, std::string> hashes;  // never empty
  nlohmann::json custom;                      // null when absent
  void Verify(std::string_view data) const { VerifyLengthAndHashes(data, length, hashes, path); }
};

struct Role {
  std::vector<std::string> keyids;
  int64_t threshold = 1;
};

struct DelegatedRole : Role {
  std::string name;
  bool terminating = false;
  std::optional<std::vector<std::string>> paths;               // shell patterns per '/' segment
  std::optional<std::vector<std::string>> path_hash_prefixes;  // hex prefixes of sha256(path)
  bool IsDelegatedPath(const std::string& target_path) const;
};

// Hash-bin delegation (TAP 15): 2^bit_length roles "<prefix>-<hex bin>", one key set for all.
struct SuccinctRoles : Role {
  int bit_length = 1;
  std::string name_prefix;
  std::string RoleForTarget(const std::string& target_path) const;
  bool IsDelegatedRole(const std::string& role_name) const;
};

struct Delegations {
  std::map<std::string, PublicKey> keys;
  std::vector<DelegatedRole> roles;
  std::optional<SuccinctRoles> succinct_roles;
  // Roles that may sign `target_path`, in delegation order, with their 'terminating' flag.
  std::vector<std::pair<std::string, bool>> RolesForTarget(const std::string& target_path) const;
  // The role entry named `role_name`, or null when not delegated here.
  const Role* FindRole(const std::string& role_name) const;
};

struct SignedCommon {
  std::string type;
  std::string spec_version;
  int64_t version = 1;
  UnixTime expires = 0;
  bool IsExpired(UnixTime now) const { return now >= expires; }
};

struct RootMetadata : SignedCommon {
  bool consistent_snapshot = false;
  std::map<std::string, PublicKey> keys;
  std::map<std::string, Role> roles;  // exactly root, timestamp, snapshot, targets
};

struct TimestampMetadata : SignedCommon {
  MetaFile snapshot_meta;
};

struct SnapshotMetadata : SignedCommon {
  std::map<std::string, MetaFile> meta;  // "targets.json", "<delegated role>.json"
};

struct TargetsMetadata : SignedCommon {
  std::map<std::string, TargetFile> targets;
  std::optional<Delegations> delegations;
};

// {"signed": ..., "signatures": [{"keyid", "sig"}]} with the canonical bytes the signatures cover.
struct Envelope {
  nlohmann::json document;
  std::string canonical_signed;
  std::map<std::string, std::string> signatures;  // keyid -> hex signature
  std::string type() const { return document["signed"]["_type"].get<std::string>(); }
};

Envelope ParseEnvelope(const std::string& bytes, const std::string& name_for_errors);
RootMetadata ParseRoot(const Envelope& envelope, const std::string& name_for_errors);
TimestampMetadata ParseTimestamp(const Envelope& envelope, const std::string& name_for_errors);
SnapshotMetadata ParseSnapshot(const Envelope& envelope, const std::string& name_for_errors);
TargetsMetadata ParseTargets(const Envelope& envelope, const std::string& name_for_errors);

// Throws HostError "<role_name>: signed by N of the M keys required" unless enough distinct
// keys of `role` signed the envelope.
void VerifyRoleSignatures(const Envelope& envelope, const std::map<std::string, PublicKey>& keys,
                          const Role& role, const std::string& role_name);

// Throws HostError unless `target_path` names a file inside a repository's targets folder: not
// empty, relative, '/'-separated components that are neither empty, "." nor "..", and no
// backslash or NUL (a signed name must not make a client fetch, or a package write, elsewhere).
void RequireConfinedTargetPath(std::string_view target_path);

// Python's urllib.parse.quote(text, safe=safe): how role names become file and URL names.
std::string PercentEncode(std::string_view text, std::string_view safe = "");

}  // namespace vigil::ota
