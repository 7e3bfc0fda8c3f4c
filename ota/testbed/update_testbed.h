// UpdateTestbed: everything an update test needs, all real: Ed25519 keys per role, a package
// repository in a temporary folder served by the UpdateServer over HTTP on 127.0.0.1, and a device
// (DirectoryStorage, or any Storage the test gives) with its trusted TUF metadata.
//
//   UpdateTestbed bed;
//   bed.Publish({.version = "1.0.0", .release_counter = 1, .bias0 = 0.25f});
//   bed.ProvisionDevice();                       // v1 confirmed
//   bed.Publish({.version = "2.0.0", .release_counter = 2});
//   bed.Install();                               // validated, pending
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ota/device/update_agent.h"
#include "ota/package/repository.h"
#include "ota/server/update_server.h"
#include "ota/tuf/fetcher.h"

namespace vigil::ota::testbed {

struct Release {
  std::string version = "1.0.0";
  int64_t release_counter = 1;
  float bias0 = 0.0f;    // reference classifier: 0 -> accuracy 1.00, 0.25 -> 0.90, 0.35 -> 0.85
  bool swapped = false;  // accuracy 0.00
  std::vector<std::string> hardware_ids = {"wpm-r2"};
  double floor = 0.8, max_drop = 0.02;
  std::optional<std::vector<uint8_t>> model =
      std::nullopt;  // replaces the classifier (e.g. a corrupt .vgl)
  UnixTime expires = DaysFromNow(30);
  bool sign = true;
};

class UpdateTestbed {
 public:
  explicit UpdateTestbed(std::string hardware_id = "wpm-r2");
  ~UpdateTestbed();

  std::string dir;  // temporary folder, removed at the end
  Repository repo;
  PrivateKey root_key, targets_key, snapshot_key, timestamp_key;
  std::unique_ptr<UpdateServer> server;
  std::string url;  // http://127.0.0.1:<port>
  std::unique_ptr<Storage> storage;
  std::unique_ptr<UpdateAgent> agent;
  std::string tuf_dir, staging_dir;

  // Publishes the next package version (targets, snapshot, timestamp; root v1 on first use).
  void Publish(const Release& release);
  void SignAll();  // signs targets, snapshot and timestamp's newest versions in order
  // Provisions the device from what is published now (uses the repository's 1.root.json).
  void ProvisionDevice();
  // Replaces the device storage (e.g. a MemoryStorage); call before ProvisionDevice.
  void UseStorage(std::unique_ptr<Storage> storage);
  InstallResult Install(std::optional<UnixTime> reference_time = std::nullopt,
                        const UpdaterConfig& config = {});
  std::string RunningVersion();
  // The newest audit record of an event ("reject"), or null.
  nlohmann::json LastRecord(const std::string& event);
  std::string TargetFile(const std::string& target_path);  // path of a target's stored file

 private:
  std::string hardware_id_;
  CurlFetcher fetcher_;
};

}  // namespace vigil::ota::testbed
