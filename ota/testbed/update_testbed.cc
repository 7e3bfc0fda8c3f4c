#include "ota/testbed/update_testbed.h"

#include <filesystem>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"
#include "ota/package/update_manifest.h"
#include "ota/sim/reference_classifier.h"
#include "vigil/interpreter.h"

namespace vigil::ota::testbed {
namespace {

std::string MakeTempDir() {
  char pattern[] = "/tmp/vigil-ota-test-XXXXXX";
  if (!mkdtemp(pattern)) throw HostError("cannot create a temporary folder");
  return pattern;
}

}  // namespace

UpdateTestbed::UpdateTestbed(std::string hardware_id)
    : dir(MakeTempDir()),
      repo(dir + "/repo"),
      root_key(PrivateKey::Generate(KeyScheme::kEd25519)),
      targets_key(PrivateKey::Generate(KeyScheme::kEd25519)),
      snapshot_key(PrivateKey::Generate(KeyScheme::kEd25519)),
      timestamp_key(PrivateKey::Generate(KeyScheme::kEd25519)),
      tuf_dir(dir + "/device/tuf"),
      staging_dir(dir + "/device/staging"),
      hardware_id_(std::move(hardware_id)) {
  repo.WriteRoot({{"root", {{root_key.Public()}, 1}},
                  {"targets", {{targets_key.Public()}, 1}},
                  {"snapshot", {{snapshot_key.Public()}, 1}},
                  {"timestamp", {{timestamp_key.Public()}, 1}}},
                 DaysFromNow(365));
  repo.Sign("root", root_key);
  server = std::make_unique<UpdateServer>(repo.dir(), dir + "/server.sqlite");
  url = "http://127.0.0.1:" + std::to_string(server->Start());
  storage =
      std::make_unique<DirectoryStorage>(dir + "/device/storage", DeviceLayout{64 << 10, 64 << 10});
  agent = std::make_unique<UpdateAgent>(*storage, hardware_id_);
}

UpdateTestbed::~UpdateTestbed() {
  server.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

void UpdateTestbed::UseStorage(std::unique_ptr<Storage> replacement) {
  agent.reset();
  storage = std::move(replacement);
  agent = std::make_unique<UpdateAgent>(*storage, hardware_id_);
}

void UpdateTestbed::Publish(const Release& r) {
  ValidationSet set = sim::ReferenceValidationSet();
  std::vector<uint8_t> model =
      r.model ? *r.model : sim::BuildReferenceClassifier(r.bias0, r.swapped);
  std::vector<uint8_t> inputs = SerializeNpy(set.inputs.at(0).samples),
                       expected = SerializeNpy(set.expected);
  UpdateManifest m;
  m.model_version = r.version;
  m.release_counter = r.release_counter;
  m.hardware_ids = r.hardware_ids;
  m.runtime_abi_version = kRuntimeAbiVersion;
  m.change_control_id = "CC-" + r.version;
  m.validation_inputs = {{set.inputs.at(0).name, {"validation/input-0.npy", Sha256Hex(inputs)}}};
  m.validation_expected = {"validation/expected.npy", Sha256Hex(expected)};
  m.acceptance = {Metric::kAccuracy, 0, r.floor, r.max_drop};
  repo.WriteTargets({{"model.vgl", model, m.ToCustom()},
                     {"validation/input-0.npy", inputs, nullptr},
                     {"validation/expected.npy", expected, nullptr}},
                    r.expires);
  if (r.sign) repo.Sign("targets", targets_key);
  repo.WriteSnapshot(r.expires);
  if (r.sign) repo.Sign("snapshot", snapshot_key);
  repo.WriteTimestamp(r.expires);
  if (r.sign) repo.Sign("timestamp", timestamp_key);
}

void UpdateTestbed::SignAll() {
  repo.Sign("targets", targets_key);
  repo.Sign("snapshot", snapshot_key);
  repo.RefreshTimestamp();
  repo.Sign("timestamp", timestamp_key);
}

void UpdateTestbed::ProvisionDevice() {
  std::filesystem::create_directories(tuf_dir);
  WriteFileAtomic(tuf_dir + "/root.json", ReadFileBytes(repo.FilePath("root", 1)));
  agent->Provision(DownloadUpdatePackage(url, tuf_dir, staging_dir, 60 << 10, fetcher_));
  agent->Boot();
}

InstallResult UpdateTestbed::Install(std::optional<UnixTime> reference_time,
                                     const UpdaterConfig& config) {
  return agent->InstallFrom(url, tuf_dir, staging_dir, fetcher_, config, reference_time);
}

std::string UpdateTestbed::RunningVersion() {
  std::optional<RunningModel> running = agent->Running();
  return running
             ? running->info.model_version + (running->state == SlotState::kTrial ? " (trial)" : "")
             : "none";
}

nlohmann::json UpdateTestbed::LastRecord(const std::string& event) {
  nlohmann::json found;
  for (const AuditRecord& r : agent->log().Records()) {
    if (r.event == event) found = r.details;
  }
  return found;
}

std::string UpdateTestbed::TargetFile(const std::string& target_path) {
  nlohmann::json info = repo.Load("targets")["signed"]["targets"][target_path];
  std::filesystem::path p(target_path);
  return (std::filesystem::path(repo.dir()) / "targets" / p.parent_path() /
          (info["hashes"]["sha256"].get<std::string>() + "." + p.filename().string()))
      .string();
}

}  // namespace vigil::ota::testbed
