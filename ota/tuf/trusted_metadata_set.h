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
//  - A delegated role is trusted through a delegator, never by its name alone (5.6.7: the keys
//    and threshold come from the delegator on the search path). targets(role, delegator) is null
//    until that delegator's keys have been checked; the top-level targets role's delegator is
//    "root". A role has one signed copy per update (the version snapshot pins): a second
//    delegator re-checks that copy's signatures with its own keys and threshold.
//  - No I/O: callers fetch and persist (ota/tuf/updater.h).
#pragma once

#include <map>
#include <optional>
#include <set>
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
  // Null unless `role` is trusted through `delegator`.
  const TargetsMetadata* targets(const std::string& role, const std::string& delegator) const;
  // True when some delegator's keys already admitted `role` (its copy is then fixed).
  bool HasTargets(const std::string& role) const { return targets_.count(role) != 0; }

  void UpdateRoot(const std::string& bytes);
  bool UpdateTimestamp(const std::string& bytes);
  // `trusted`: bytes read back from the client's own store, already checked against a timestamp
  // once; their hashes are not compared again.
  void UpdateSnapshot(const std::string& bytes, bool trusted);
  // Checks and trusts `bytes` as `role` through `delegator`; for a role HasTargets already knows,
  // use TrustThroughDelegator.
  void UpdateDelegatedTargets(const std::string& bytes, const std::string& role,
                              const std::string& delegator);
  // Trusts the copy of `role` already held through `delegator` as well, if a threshold of the keys
  // `delegator` names for it signed that copy; throws otherwise.
  void TrustThroughDelegator(const std::string& role, const std::string& delegator);

 private:
  void CheckFinalTimestamp() const;
  void CheckFinalSnapshot() const;
  void VerifyDelegation(const Envelope& envelope, const std::string& role,
                        const std::string& delegator) const;

  UnixTime reference_time_;
  RootMetadata root_;
  std::optional<TimestampMetadata> timestamp_;
  std::optional<SnapshotMetadata> snapshot_;
  struct TrustedTargets {
    Envelope envelope;  // the signed copy, for re-checking against another delegator
    TargetsMetadata metadata;
    std::set<std::string> delegators;  // those whose keys and threshold it met
  };
  std::map<std::string, TrustedTargets> targets_;  // by role name
};

}  // namespace vigil::ota
