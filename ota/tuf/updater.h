// Updater: the TUF client workflow (specification section 5) over a Fetcher and a local directory
// of trusted metadata.
//
// Contract
//  - `metadata_dir` holds the trusted metadata under non-versioned names (root.json,
//    timestamp.json, snapshot.json, targets.json, <percent-encoded role>.json); root.json must be
//    there before the first Refresh. Every file is written atomically after its checks passed.
//  - Refresh runs once per Updater: root rotation chain (up to max_root_rotations newer roots,
//    each signed by the old and the new root keys), then timestamp, snapshot and top-level
//    targets, with versioned file names when root says consistent_snapshot. Any failure throws
//    HostError naming the role and the rule; what was already verified stays trusted.
//  - GetTargetInfo walks delegations depth-first in order, honouring terminating delegations,
//    visiting each (role, delegator) pair once and at most max_delegations roles.
//  - Downloads are bounded by the lengths the signed metadata give (or the configured maxima).
//
//   CurlFetcher fetcher;
//   Updater updater(dir, "http://host/metadata/", "http://host/targets/", fetcher);
//   if (auto info = updater.GetTargetInfo("model.vgl")) updater.DownloadTarget(*info, target_dir);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "ota/package/metadata.h"
#include "ota/tuf/fetcher.h"
#include "ota/tuf/trusted_metadata_set.h"

namespace vigil::ota {

struct UpdaterConfig {
  int max_root_rotations = 256;
  int max_delegations = 32;
  int64_t root_max_length = 512000;
  int64_t timestamp_max_length = 16384;
  int64_t snapshot_max_length = 2000000;
  int64_t targets_max_length = 5000000;
  bool prefix_targets_with_hash = true;
};

class Updater {
 public:
  // Reads the trusted root from metadata_dir; the reference time is now unless given.
  Updater(std::string metadata_dir, std::string metadata_base_url, std::string target_base_url,
          Fetcher& fetcher, UpdaterConfig config = {}, std::optional<UnixTime> reference_time = {});

  void Refresh();
  // The signed description of `target_path`, or nothing when no trusted role lists it. Refreshes
  // first when Refresh has not run.
  std::optional<TargetFile> GetTargetInfo(const std::string& target_path);
  // Path under target_dir where a target is kept (its percent-encoded target path).
  static std::string LocalTargetPath(const TargetFile& target, const std::string& target_dir);
  // The local copy when it exists and matches the signed length and hashes.
  std::optional<std::string> FindCachedTarget(const TargetFile& target,
                                              const std::string& target_dir) const;
  // Downloads, checks length and hashes, writes atomically; returns the local path. A target path
  // that would leave the targets folder ("..", absolute, ...) is refused before any request.
  std::string DownloadTarget(const TargetFile& target, const std::string& target_dir);

  const TrustedMetadataSet& trusted() const { return *trusted_; }

 private:
  void LoadRoot();
  void LoadTimestamp();
  void LoadSnapshot();
  const TargetsMetadata& LoadTargets(const std::string& role, const std::string& delegator);
  std::string DownloadMetadata(const std::string& role, int64_t max_length,
                               std::optional<int64_t> version);
  std::optional<std::string> ReadLocal(const std::string& role) const;
  void Persist(const std::string& role, const std::string& bytes) const;

  std::string metadata_dir_, metadata_base_url_, target_base_url_;
  Fetcher& fetcher_;
  UpdaterConfig config_;
  std::unique_ptr<TrustedMetadataSet> trusted_;
  bool refreshed_ = false;
};

}  // namespace vigil::ota
