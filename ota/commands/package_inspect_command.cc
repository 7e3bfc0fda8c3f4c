// `vigil package verify` (the device's checks, run on a workstation) and `vigil package inspect`.
#include <cstdio>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"
#include "ota/device/validation_gate.h"
#include "ota/package/canonical_json.h"
#include "ota/package/repository.h"
#include "ota/tuf/package_download.h"

namespace vigil::ota {
namespace {

using Json = nlohmann::json;

struct TempDir {
  std::string path;
  TempDir() {
    char pattern[] = "/tmp/vigil-package-XXXXXX";
    if (!mkdtemp(pattern)) throw HostError("cannot create a temporary folder");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace

Json SignatureState(Repository& repo, const std::string& role, const RootMetadata& root) {
  Json document = repo.Load(role);
  Envelope envelope = ParseEnvelope(document.dump(), role);
  const Role& entry = root.roles.at(role);
  int64_t valid = 0;
  for (const std::string& keyid : entry.keyids) {
    auto key = root.keys.find(keyid);
    auto sig = envelope.signatures.find(keyid);
    valid += key != root.keys.end() && sig != envelope.signatures.end() &&
             key->second.Verify(sig->second, envelope.canonical_signed);
  }
  return {{"version", document["signed"]["version"]},
          {"expires", document["signed"]["expires"]},
          {"valid_signatures", valid},
          {"threshold", entry.threshold}};
}

int RunPackageVerify(int argc, char** argv) {
  CommandLine cli("vigil package verify",
                  "Verify an update package as a device would: TUF metadata against a trusted "
                  "root, target hashes, the manifest, and the model on its validation set.");
  std::string source, trusted_root;
  bool json = false;
  cli.Positional("PKG_DIR_OR_URL", &source, "package directory or repository URL");
  cli.Option("", "--trusted-root", &trusted_root, "ROOT.json",
             "the root the device trusts (e.g. metadata/1.root.json)");
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (trusted_root.empty()) {
    std::fprintf(stderr, "vigil package verify: --trusted-root is required\n");
    return 2;
  }
  TempDir temp;
  std::filesystem::create_directories(temp.path + "/metadata");
  WriteFileAtomic(temp.path + "/metadata/root.json", ReadFileBytes(trusted_root));
  CurlFetcher fetcher;
  VerifiedPackage package = DownloadUpdatePackage(
      source, temp.path + "/metadata", temp.path + "/targets", int64_t{64} << 20, fetcher);
  const UpdateManifest& m = package.manifest;
  double metric = MeasureMetric(package.model, package.validation, m.acceptance);
  std::string verdict = Judge(metric, std::nullopt, m.acceptance);
  Json report = {{"ok", verdict.empty()},
                 {"model_version", m.model_version},
                 {"release_counter", m.release_counter},
                 {"hardware_ids", m.hardware_ids},
                 {"runtime_abi_version", m.runtime_abi_version},
                 {"change_control_id", m.change_control_id},
                 {"targets_version", package.targets_version},
                 {"model_sha256", package.model_sha256},
                 {"metric", MetricName(m.acceptance.metric)},
                 {"value", metric},
                 {"floor", m.acceptance.floor},
                 {"verdict", verdict.empty() ? "pass" : verdict}};
  if (json) {
    std::printf("%s\n", report.dump(2).c_str());
  } else {
    std::printf(
        "%s: signatures, versions, expiry and hashes verified (targets v%lld)\n"
        "  model %s, release counter %lld, change control %s\n  %s on its validation set: %.4f "
        "(floor %.4f): %s\n",
        source.c_str(), static_cast<long long>(package.targets_version), m.model_version.c_str(),
        static_cast<long long>(m.release_counter), m.change_control_id.c_str(),
        MetricName(m.acceptance.metric), metric, m.acceptance.floor,
        verdict.empty() ? "pass" : verdict.c_str());
  }
  return verdict.empty() ? 0 : 1;
}

int RunPackageInspect(int argc, char** argv) {
  CommandLine cli("vigil package inspect",
                  "Show a package's roles (version, expiry, signatures) and its update manifest.");
  std::string dir;
  bool json = false;
  cli.Positional("DIR", &dir, "the package directory");
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  Repository repo(dir);
  Json root_doc = repo.Load("root");
  RootMetadata root = ParseRoot(ParseEnvelope(root_doc.dump(), "root"), "root");
  Json report = {{"consistent_snapshot", root.consistent_snapshot}, {"roles", Json::object()}};
  for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
    if (repo.Version(role) > 0) report["roles"][role] = SignatureState(repo, role, root);
  }
  if (repo.Version("targets") > 0) {
    Json targets = repo.Load("targets")["signed"]["targets"];
    report["targets"] = Json::object();
    for (auto& [path, info] : targets.items())
      report["targets"][path] = {{"length", info["length"]},
                                 {"sha256", info["hashes"].value("sha256", "")}};
    if (targets.contains("model.vgl") && targets["model.vgl"].contains("custom")) {
      report["manifest"] = targets["model.vgl"]["custom"]["vigil"];
    }
  }
  if (json) {
    std::printf("%s\n", report.dump(2).c_str());
    return 0;
  }
  std::printf("%s\n", dir.c_str());
  for (auto& [role, state] : report["roles"].items()) {
    std::printf("  %-10s v%-4lld expires %s  signatures %lld/%lld\n", role.c_str(),
                state["version"].get<long long>(), state["expires"].get<std::string>().c_str(),
                state["valid_signatures"].get<long long>(), state["threshold"].get<long long>());
  }
  if (report.contains("targets")) {
    for (auto& [path, info] : report["targets"].items()) {
      std::printf("  target %-24s %8lld bytes  sha256 %s\n", path.c_str(),
                  info["length"].get<long long>(), info["sha256"].get<std::string>().c_str());
    }
  }
  if (report.contains("manifest"))
    std::printf("  manifest %s\n", report["manifest"].dump(2).c_str());
  return 0;
}

}  // namespace vigil::ota
