#include "ota/tuf/package_download.h"

#include <filesystem>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"

namespace vigil::ota {
namespace {

std::vector<uint8_t> FetchTarget(Updater& updater, const std::string& path,
                                 const std::string& staging_dir, const std::string& pinned_sha256,
                                 int64_t max_bytes) {
  std::optional<TargetFile> info = updater.GetTargetInfo(path);
  if (!info) throw HostError(path + ": not listed in the trusted targets metadata");
  if (info->length > max_bytes) {
    throw HostError(path + ": " + std::to_string(info->length) + " bytes is more than the " +
                    std::to_string(max_bytes) + " this device accepts (oversized target)");
  }
  std::string local = updater.FindCachedTarget(*info, staging_dir).value_or("");
  if (local.empty()) local = updater.DownloadTarget(*info, staging_dir);
  std::vector<uint8_t> bytes = ReadFileBytes(local);
  if (!pinned_sha256.empty() && Sha256Hex(bytes) != pinned_sha256) {
    throw HostError(path + ": does not match the sha256 the update manifest pins");
  }
  return bytes;
}

}  // namespace

PackageSource ResolvePackageSource(const std::string& source) {
  std::string base = source;
  if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0 &&
      base.rfind("file://", 0) != 0) {
    if (!std::filesystem::is_directory(base))
      throw HostError(source + ": no such package directory");
    base = "file://" + std::filesystem::absolute(base).lexically_normal().string();
  }
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return {base + "/metadata/", base + "/targets/"};
}

VerifiedPackage DownloadUpdatePackage(const std::string& source, const std::string& metadata_dir,
                                      const std::string& staging_dir, int64_t max_model_bytes,
                                      Fetcher& fetcher, const UpdaterConfig& config,
                                      std::optional<UnixTime> reference_time) {
  PackageSource urls = ResolvePackageSource(source);
  std::filesystem::create_directories(staging_dir);
  Updater updater(metadata_dir, urls.metadata_url, urls.targets_url, fetcher, config,
                  reference_time);
  updater.Refresh();
  std::optional<TargetFile> model = updater.GetTargetInfo("model.vgl");
  if (!model) throw HostError("model.vgl: not listed in the trusted targets metadata");
  VerifiedPackage package;
  package.manifest = UpdateManifest::FromCustom(model->custom, "model.vgl");
  package.targets_version = updater.trusted().targets("targets", "root")->version;
  package.model = FetchTarget(updater, "model.vgl", staging_dir, "", max_model_bytes);
  package.model_sha256 = Sha256Hex(package.model);
  const UpdateManifest& m = package.manifest;
  // Validation sets are bounded by the targets metadata limit as well: a device has no more room.
  const int64_t kMaxSetBytes = 64 << 20;
  for (const PinnedInput& input : m.validation_inputs) {
    package.validation.inputs.push_back(
        {input.name, ParseNpy(FetchTarget(updater, input.file.target, staging_dir,
                                          input.file.sha256, kMaxSetBytes),
                              input.file.target)});
  }
  package.validation.expected =
      ParseNpy(FetchTarget(updater, m.validation_expected.target, staging_dir,
                           m.validation_expected.sha256, kMaxSetBytes),
               m.validation_expected.target);
  if (m.config)
    package.config = FetchTarget(updater, m.config->target, staging_dir, m.config->sha256, 1 << 20);
  return package;
}

}  // namespace vigil::ota
