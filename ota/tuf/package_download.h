// Fetches a Vigil update package through the TUF client and returns it verified: every byte was
// checked against signed targets metadata, and the manifest's pins tie the model to its
// validation set. Used by the device agent (install) and by `vigil package verify`.
//
// Contract
//  - `source` is a package directory, a file:// URL or an http(s):// URL of a repository; the
//    metadata lives under <source>/metadata/ and the targets under <source>/targets/.
//  - `metadata_dir` must hold the trusted root.json; verified metadata is persisted there.
//  - A model target longer than `max_model_bytes` (the slot capacity) is refused before any of
//    it is downloaded. Downloaded targets are kept in `staging_dir`.
//  - Throws HostError naming the role, file or field that failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ota/package/update_manifest.h"
#include "ota/tuf/updater.h"

namespace vigil::ota {

struct VerifiedPackage {
  UpdateManifest manifest;
  std::vector<uint8_t> model;
  ValidationSet validation;  // the arrays the manifest pins, one per model input
  std::optional<std::vector<uint8_t>> config;
  int64_t targets_version = 0;
  std::string model_sha256;
};

struct PackageSource {
  std::string metadata_url, targets_url;
};
PackageSource ResolvePackageSource(const std::string& source);

VerifiedPackage DownloadUpdatePackage(const std::string& source, const std::string& metadata_dir,
                                      const std::string& staging_dir, int64_t max_model_bytes,
                                      Fetcher& fetcher, const UpdaterConfig& config = {},
                                      std::optional<UnixTime> reference_time = std::nullopt);

}  // namespace vigil::ota
