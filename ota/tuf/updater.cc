#include "ota/tuf/updater.h"

#include <ctime>
#include <filesystem>
#include <set>
#include <utility>
#include <vector>

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil::ota {
namespace {

std::string WithSlash(std::string url) {
  if (!url.empty() && url.back() != '/') url.push_back('/');
  return url;
}

std::string AsString(const std::vector<uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

Updater::Updater(std::string metadata_dir, std::string metadata_base_url,
                 std::string target_base_url, Fetcher& fetcher, UpdaterConfig config,
                 std::optional<UnixTime> reference_time)
    : metadata_dir_(std::move(metadata_dir)),
      metadata_base_url_(WithSlash(std::move(metadata_base_url))),
      target_base_url_(WithSlash(std::move(target_base_url))),
      fetcher_(fetcher),
      config_(config) {
  std::optional<std::string> root = ReadLocal("root");
  if (!root) throw HostError(metadata_dir_ + "/root.json: no trusted root (run init first)");
  trusted_ =
      std::make_unique<TrustedMetadataSet>(*root, reference_time.value_or(std::time(nullptr)));
}

std::optional<std::string> Updater::ReadLocal(const std::string& role) const {
  std::string path = metadata_dir_ + "/" + PercentEncode(role) + ".json";
  if (!std::filesystem::exists(path)) return std::nullopt;
  return AsString(ReadFileBytes(path));
}

void Updater::Persist(const std::string& role, const std::string& bytes) const {
  WriteFileAtomic(metadata_dir_ + "/" + PercentEncode(role) + ".json", bytes);
}

std::string Updater::DownloadMetadata(const std::string& role, int64_t max_length,
                                      std::optional<int64_t> version) {
  std::string name = PercentEncode(role) + ".json";
  if (version) name = std::to_string(*version) + "." + name;
  return fetcher_.Fetch(metadata_base_url_ + name, max_length);
}

void Updater::Refresh() {
  if (refreshed_) throw HostError("refresh: an Updater refreshes once; make a new one");
  refreshed_ = true;
  LoadRoot();
  LoadTimestamp();
  LoadSnapshot();
  LoadTargets("targets", "root");
}

void Updater::LoadRoot() {
  // 5.3: walk the chain of newer roots, each checked against the one before.
  int64_t first = trusted_->root().version + 1;
  for (int64_t version = first; version < first + config_.max_root_rotations; ++version) {
    std::string bytes;
    try {
      bytes = DownloadMetadata("root", config_.root_max_length, version);
    } catch (const FetchNotFound&) {
      break;
    }
    trusted_->UpdateRoot(bytes);
    Persist("root", bytes);
  }
}

void Updater::LoadTimestamp() {
  if (std::optional<std::string> local = ReadLocal("timestamp")) {
    try {
      trusted_->UpdateTimestamp(*local);
    } catch (const HostError&) {
      // Not usable as final (expired, or signed by keys root no longer trusts): the remote one
      // decides. An expired local timestamp stays as the rollback reference (see the set).
    }
  }
  std::string bytes = DownloadMetadata("timestamp", config_.timestamp_max_length, std::nullopt);
  if (trusted_->UpdateTimestamp(bytes)) Persist("timestamp", bytes);
}

void Updater::LoadSnapshot() {
  if (std::optional<std::string> local = ReadLocal("snapshot")) {
    try {
      trusted_->UpdateSnapshot(*local, /*trusted=*/true);
      return;  // the local snapshot is the one the timestamp names
    } catch (const HostError&) {
    }
  }
  const MetaFile& meta = trusted_->timestamp()->snapshot_meta;
  std::optional<int64_t> version;
  if (trusted_->root().consistent_snapshot) version = meta.version;
  std::string bytes =
      DownloadMetadata("snapshot", meta.length.value_or(config_.snapshot_max_length), version);
  trusted_->UpdateSnapshot(bytes, /*trusted=*/false);
  Persist("snapshot", bytes);
}

const TargetsMetadata& Updater::LoadTargets(const std::string& role, const std::string& delegator) {
  if (const TargetsMetadata* loaded = trusted_->targets(role, delegator)) return *loaded;
  if (trusted_->HasTargets(role)) {
    // Admitted through another delegator: this one's keys and threshold must hold for it too.
    trusted_->TrustThroughDelegator(role, delegator);
    return *trusted_->targets(role, delegator);
  }
  if (std::optional<std::string> local = ReadLocal(role)) {
    try {
      trusted_->UpdateDelegatedTargets(*local, role, delegator);
      return *trusted_->targets(role, delegator);
    } catch (const HostError&) {
    }
  }
  auto meta = trusted_->snapshot()->meta.find(role + ".json");
  if (meta == trusted_->snapshot()->meta.end()) {
    throw HostError(role + ": delegated but not listed in snapshot");
  }
  std::optional<int64_t> version;
  if (trusted_->root().consistent_snapshot) version = meta->second.version;
  std::string bytes =
      DownloadMetadata(role, meta->second.length.value_or(config_.targets_max_length), version);
  trusted_->UpdateDelegatedTargets(bytes, role, delegator);
  Persist(role, bytes);
  return *trusted_->targets(role, delegator);
}

std::optional<TargetFile> Updater::GetTargetInfo(const std::string& target_path) {
  if (!trusted_->targets("targets", "root")) Refresh();
  // 5.6.7: pre-order depth-first search of the delegation graph.
  std::vector<std::pair<std::string, std::string>> to_visit = {{"targets", "root"}};
  std::set<std::pair<std::string, std::string>> visited;
  int budget = config_.max_delegations;
  while (budget > 0 && !to_visit.empty()) {
    auto [role, delegator] = to_visit.back();
    to_visit.pop_back();
    if (visited.count({role, delegator})) continue;  // a cycle in the graph
    const TargetsMetadata& targets = LoadTargets(role, delegator);
    auto found = targets.targets.find(target_path);
    if (found != targets.targets.end()) return found->second;
    visited.insert({role, delegator});
    --budget;
    if (!targets.delegations) continue;
    std::vector<std::pair<std::string, std::string>> children;
    for (const auto& [child, terminating] : targets.delegations->RolesForTarget(target_path)) {
      children.emplace_back(child, role);
      if (terminating) {
        to_visit.clear();  // a terminating delegation ends the search below this role
        break;
      }
    }
    to_visit.insert(to_visit.end(), children.rbegin(), children.rend());
  }
  return std::nullopt;
}

std::string Updater::LocalTargetPath(const TargetFile& target, const std::string& target_dir) {
  return target_dir + "/" + PercentEncode(target.path);
}

std::optional<std::string> Updater::FindCachedTarget(const TargetFile& target,
                                                     const std::string& target_dir) const {
  std::string path = LocalTargetPath(target, target_dir);
  if (!std::filesystem::is_regular_file(path) ||
      std::filesystem::file_size(path) != static_cast<uintmax_t>(target.length)) {
    return std::nullopt;
  }
  try {
    target.Verify(AsString(ReadFileBytes(path)));
    return path;
  } catch (const HostError&) {
    return std::nullopt;
  }
}

std::string Updater::DownloadTarget(const TargetFile& target, const std::string& target_dir) {
  // A signed name is still untrusted as a path: "../x" would be fetched from outside targets/.
  RequireConfinedTargetPath(target.path);
  std::string remote = target.path;
  if (trusted_->root().consistent_snapshot && config_.prefix_targets_with_hash) {
    size_t slash = remote.rfind('/');
    std::string dir = slash == std::string::npos ? "" : remote.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? remote : remote.substr(slash + 1);
    auto hash =
        target.hashes.count("sha256") ? target.hashes.find("sha256") : target.hashes.begin();
    remote = dir + hash->second + "." + base;
  }
  // Characters a URL cannot carry are escaped as an HTTP library would; '/' separates folders.
  std::string bytes =
      fetcher_.Fetch(target_base_url_ + PercentEncode(remote, "/!$&'()*+,:;=@~"), target.length);
  target.Verify(bytes);
  std::filesystem::create_directories(target_dir);
  std::string path = LocalTargetPath(target, target_dir);
  WriteFileAtomic(path, bytes);
  return path;
}

}  // namespace vigil::ota
