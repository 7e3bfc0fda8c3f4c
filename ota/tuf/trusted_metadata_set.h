// TrustedMetadataSet: the metadata a TUF client trusts right now, and the only way to add to it.
// Each Update* call applies the checks of the specification's client workflow (section 5) for one
// role, in the order the workflow allows: root (5.3), timestamp (5.4), snapshot (5.5), targets and
// delegated targets (5.6). Nothing is trusted that did not pass every check.
//
// Contract
//  - The reference time is fixed when the set is made (5.1 "fixed update start time") and every
//    expiry check uses it, so a slow download cannot move it.
//  - A failed check throws HostError naming the role and the rule, and leaves the set unchanged,
//    except where the workflow keeps the new metadata for rollback checks before rejecting it as
//    final (an expired timestamp or snapshot is kept to compare the next one against; see
//    python-tuf's TrustedMetadataSet, which this mirrors).
//  - UpdateTimestamp returns false when the new timestamp has the trusted version: the caller keeps
//    the one it has and must not persist the new bytes.
//  - No I/O: callers fetch and persist (ota/tuf/updater.h).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "ota/package/metadata.h"

namespace vigil::ota {

class TrustedMetadataSet {
 public:
  // Loads the locally trusted root; it must be signed by a threshold of its own root keys (5.2).
  TrustedMetadataSet(const std::string& root_bytes, UnixTime reference_time);

  UnixTime reference_time() const { return reference_time_; }
  const RootMetadata& root() const { return root_; }
  const TimestampMetadata* timestamp() const { return timestamp_ ? &*timestamp_ : nullptr; }
  const SnapshotMetadata* snapshot() const { return snapshot_ ? &*snapshot_ : nullptr; }
  const TargetsMetadata* targets(const std::string& role) const;

  void UpdateRoot(const std::string& bytes);
  bool UpdateTimestamp(const std::string& bytes);
  // `trusted`: bytes read back from the client's own store, already checked against a timestamp
  // once; their hashes are not compared again.
  void UpdateSnapshot(const std::string& bytes, bool trusted);
  void UpdateDelegatedTargets(const std::string& bytes, const std::string& role,
                              const std::string& delegator);

 private:
  void CheckFinalTimestamp() const;
  void CheckFinalSnapshot() const;

  UnixTime reference_time_;
  RootMetadata root_;
  std::optional<TimestampMetadata> timestamp_;
  std::optional<SnapshotMetadata> snapshot_;
  std::map<std::string, TargetsMetadata> targets_;
};

}  // namespace vigil::ota
