#include "ota/tuf/trusted_metadata_set.h"

#include "host/error.h"

namespace vigil::ota {

TrustedMetadataSet::TrustedMetadataSet(const std::string& root_bytes, UnixTime reference_time)
    : reference_time_(reference_time) {
  Envelope envelope = ParseEnvelope(root_bytes, "trusted root.json");
  RootMetadata root = ParseRoot(envelope, "trusted root.json");
  VerifyRoleSignatures(envelope, root.keys, root.roles.at("root"), "trusted root");
  root_ = std::move(root);
}

const TargetsMetadata* TrustedMetadataSet::targets(const std::string& role,
                                                   const std::string& delegator) const {
  auto it = targets_.find(role);
  return it == targets_.end() || !it->second.delegators.count(delegator) ? nullptr
                                                                         : &it->second.metadata;
}

void TrustedMetadataSet::UpdateRoot(const std::string& bytes) {
  if (timestamp_) throw HostError("root: cannot update root after timestamp");
  std::string name = "root v" + std::to_string(root_.version + 1);
  Envelope envelope = ParseEnvelope(bytes, name);
  RootMetadata next = ParseRoot(envelope, name);
  // 5.3.4: signed by a threshold of the trusted root's keys, and by a threshold of its own (5.3.5).
  VerifyRoleSignatures(envelope, root_.keys, root_.roles.at("root"),
                       name + " (by the trusted root keys)");
  if (next.version != root_.version + 1) {
    throw HostError(name + ": version " + std::to_string(next.version) +
                    " is not trusted version + 1 (rollback)");
  }
  VerifyRoleSignatures(envelope, next.keys, next.roles.at("root"),
                       name + " (by its own root keys)");
  root_ = std::move(next);
}

bool TrustedMetadataSet::UpdateTimestamp(const std::string& bytes) {
  if (snapshot_) throw HostError("timestamp: cannot update timestamp after snapshot");
  // 5.3.10: the final root must not be expired (freeze attack on root).
  if (root_.IsExpired(reference_time_))
    throw HostError("root: expired on " + FormatExpires(root_.expires) + " (freeze attack?)");
  Envelope envelope = ParseEnvelope(bytes, "timestamp");
  TimestampMetadata next = ParseTimestamp(envelope, "timestamp");
  VerifyRoleSignatures(envelope, root_.keys, root_.roles.at("timestamp"), "timestamp");
  if (timestamp_) {
    // 5.4.3: no rollback of the timestamp or of the snapshot version it lists.
    if (next.version < timestamp_->version) {
      throw HostError("timestamp: version " + std::to_string(next.version) +
                      " is older than trusted version " + std::to_string(timestamp_->version) +
                      " (rollback attack)");
    }
    if (next.version == timestamp_->version) return false;
    if (next.snapshot_meta.version < timestamp_->snapshot_meta.version) {
      throw HostError("timestamp: lists snapshot version " +
                      std::to_string(next.snapshot_meta.version) + ", older than trusted " +
                      std::to_string(timestamp_->snapshot_meta.version) + " (rollback attack)");
    }
  }
  // Kept even if expired, so the next timestamp is checked against it; rejected as final below.
  timestamp_ = std::move(next);
  CheckFinalTimestamp();
  return true;
}

void TrustedMetadataSet::CheckFinalTimestamp() const {
  if (timestamp_->IsExpired(reference_time_)) {
    throw HostError("timestamp: expired on " + FormatExpires(timestamp_->expires) +
                    " (freeze attack?)");
  }
}

void TrustedMetadataSet::UpdateSnapshot(const std::string& bytes, bool trusted) {
  if (!timestamp_) throw HostError("snapshot: cannot update snapshot before timestamp");
  if (!targets_.empty()) throw HostError("snapshot: cannot update snapshot after targets");
  CheckFinalTimestamp();
  // 5.5.2: the bytes are those the timestamp names (when it lists length and hashes).
  if (!trusted) timestamp_->snapshot_meta.Verify(bytes, "snapshot");
  Envelope envelope = ParseEnvelope(bytes, "snapshot");
  SnapshotMetadata next = ParseSnapshot(envelope, "snapshot");
  VerifyRoleSignatures(envelope, root_.keys, root_.roles.at("snapshot"), "snapshot");
  if (snapshot_) {
    // 5.5.5: no targets metadata may disappear or go back in version.
    for (const auto& [file, meta] : snapshot_->meta) {
      auto it = next.meta.find(file);
      if (it == next.meta.end())
        throw HostError("snapshot: new snapshot drops " + file + " (rollback attack)");
      if (it->second.version < meta.version) {
        throw HostError("snapshot: lists " + file + " version " +
                        std::to_string(it->second.version) + ", older than trusted " +
                        std::to_string(meta.version) + " (rollback attack)");
      }
    }
  }
  snapshot_ = std::move(next);
  CheckFinalSnapshot();
}

void TrustedMetadataSet::CheckFinalSnapshot() const {
  if (snapshot_->IsExpired(reference_time_)) {
    throw HostError("snapshot: expired on " + FormatExpires(snapshot_->expires) +
                    " (freeze attack?)");
  }
  // 5.5.3: the snapshot is the version the timestamp names (mix-and-match).
  if (snapshot_->version != timestamp_->snapshot_meta.version) {
    throw HostError("snapshot: version " + std::to_string(snapshot_->version) +
                    " is not the version " + std::to_string(timestamp_->snapshot_meta.version) +
                    " that timestamp lists (mix-and-match?)");
  }
}

void TrustedMetadataSet::UpdateDelegatedTargets(const std::string& bytes, const std::string& role,
                                                const std::string& delegator) {
  if (!snapshot_) throw HostError(role + ": cannot load targets before snapshot");
  CheckFinalSnapshot();
  auto meta = snapshot_->meta.find(role + ".json");
  if (meta == snapshot_->meta.end())
    throw HostError(role + ": snapshot does not list " + role + ".json");
  meta->second.Verify(bytes, role);
  if (HasTargets(role))
    throw HostError(role + ": already loaded (trust it through another delegator)");
  Envelope envelope = ParseEnvelope(bytes, role);
  TargetsMetadata next = ParseTargets(envelope, role);
  VerifyDelegation(envelope, role, delegator);
  // 5.6.4-5.6.5: the version snapshot lists (mix-and-match, rollback), and not expired (freeze).
  if (next.version != meta->second.version) {
    throw HostError(role + ": version " + std::to_string(next.version) + " is not the version " +
                    std::to_string(meta->second.version) +
                    " that snapshot lists (rollback or mix-and-match)");
  }
  if (next.IsExpired(reference_time_)) {
    throw HostError(role + ": expired on " + FormatExpires(next.expires) + " (freeze attack?)");
  }
  targets_[role] = {std::move(envelope), std::move(next), {delegator}};
}

void TrustedMetadataSet::TrustThroughDelegator(const std::string& role,
                                               const std::string& delegator) {
  auto it = targets_.find(role);
  if (it == targets_.end()) throw HostError(role + ": not loaded");
  VerifyDelegation(it->second.envelope, role, delegator);
  it->second.delegators.insert(delegator);
}

void TrustedMetadataSet::VerifyDelegation(const Envelope& envelope, const std::string& role,
                                          const std::string& delegator) const {
  if (delegator == "root") {
    if (role != "targets") throw HostError(role + ": root delegates only the targets role");
    VerifyRoleSignatures(envelope, root_.keys, root_.roles.at("targets"), role);
    return;
  }
  // The delegator's one copy: trusted through whichever delegator led the search to it.
  auto parent = targets_.find(delegator);
  if (parent == targets_.end())
    throw HostError(role + ": delegator " + delegator + " is not loaded");
  const std::optional<Delegations>& delegations = parent->second.metadata.delegations;
  const Role* entry = delegations ? delegations->FindRole(role) : nullptr;
  if (!entry) throw HostError(role + ": not delegated by " + delegator);
  VerifyRoleSignatures(envelope, delegations->keys, *entry, role);
}

}  // namespace vigil::ota
