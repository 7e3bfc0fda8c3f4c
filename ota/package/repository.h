// Repository: writes and signs a TUF repository directory. A Vigil update package is such a
// directory; publishing a newer package into the same directory bumps every role's version, so
// one directory served over HTTP is also the update server's repository.
//
// Layout (consistent snapshots, as the client prefers):
//   DIR/metadata/N.root.json          every root version (the chain a client walks)
//   DIR/metadata/N.targets.json       N.snapshot.json   timestamp.json
//   DIR/targets/[dir/]<sha256>.<name> each target under its hash-prefixed name
//
// Contract
//  - Write* make a new version of a role, unsigned (so keys may sign offline, one at a time);
//    Sign adds one signature to the newest version. Every file is written atomically.
//  - Snapshot lists each targets role by version; timestamp lists snapshot by version, length and
//    hashes, so re-signing snapshot changes what timestamp must list: RefreshTimestamp rewrites
//    it (and drops its signatures) when that happens.
//  - Throws HostError naming the file for anything it cannot read, parse or write.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ota/package/metadata.h"
#include "ota/package/signing_key.h"

namespace vigil::ota {

struct RoleKeys {
  std::vector<PublicKey> keys;
  int64_t threshold = 1;
};

struct TargetInput {
  std::string path;  // TUF target path ("validation/inputs.npy")
  std::vector<uint8_t> bytes;
  nlohmann::json custom;  // null for none
};

class Repository {
 public:
  explicit Repository(std::string dir);

  const std::string& dir() const { return dir_; }
  // Newest version of a top-level role (0 when the repository has none).
  int64_t Version(const std::string& role) const;
  std::string FilePath(const std::string& role, int64_t version) const;
  // The newest metadata document of a role ({"signed", "signatures"}).
  nlohmann::json Load(const std::string& role) const;
  // Writes a document as the file of its role and version (tests use it to publish crafted
  // metadata).
  void Store(const std::string& role, const nlohmann::json& document) const;

  // Root version N+1 with these keys per role ("root", "timestamp", "snapshot", "targets");
  // roles not in `roles` keep the keys of version N.
  void WriteRoot(const std::map<std::string, RoleKeys>& roles, UnixTime expires);
  // Targets version N+1 listing exactly `files`, copied into targets/ under hash-prefixed names.
  // Throws before writing anything when a path would leave targets/ (RequireConfinedTargetPath).
  void WriteTargets(const std::vector<TargetInput>& files, UnixTime expires);
  void WriteSnapshot(UnixTime expires);
  void WriteTimestamp(UnixTime expires);
  void Sign(const std::string& role, const PrivateKey& key);
  // Makes timestamp list the current snapshot file; returns true when it had to rewrite it.
  bool RefreshTimestamp();

 private:
  nlohmann::json SnapshotMeta() const;
  std::string dir_;
};

// Days from now, for expiry dates.
UnixTime DaysFromNow(double days);

}  // namespace vigil::ota
