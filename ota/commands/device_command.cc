// `vigil device provision | status | install | boot | confirm | revert | log`: the update agent on
// a device folder (or raw image), and `vigil device simulate-power-cuts` (power_cut_command.cc).
//
// A device folder holds device.json (hardware id, storage kind and layout), the storage itself
// (storage/ or storage.img), tuf/ (the trusted TUF metadata), staging/ (downloads) and lock.
//
// One command at a time per device folder: each takes an advisory lock (flock) on DIR/lock before
// it opens the storage, exclusive to change the device, shared to read it, and waits for it at
// most VIGIL_DEVICE_LOCK_WAIT_S seconds (default 60) before failing with a clear message. Without
// it, two starts read the same log end and one overwrites the other's record (issue 13).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"
#include "ota/commands/ota_commands.h"
#include "ota/device/update_agent.h"
#include "ota/package/canonical_json.h"

namespace vigil::ota {

int RunSimulatePowerCuts(int argc, char** argv);

namespace {

using Json = nlohmann::json;

// The advisory lock on a device folder, held for the lifetime of the object.
class DeviceFolderLock {
 public:
  enum Mode { kShared = LOCK_SH, kExclusive = LOCK_EX };

  DeviceFolderLock(const std::string& dir, Mode mode) {
    if (!std::filesystem::is_directory(dir))
      throw HostError(dir + ": not a provisioned device (no such folder)");
    std::string path = dir + "/lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw HostError("cannot open " + path + ": " + std::strerror(errno));
    const char* wait = std::getenv("VIGIL_DEVICE_LOCK_WAIT_S");
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::seconds(wait && *wait ? std::atoi(wait) : 60);
    // flock has no timeout of its own: try, and retry until the deadline.
    while (::flock(fd_, mode | LOCK_NB) != 0) {
      if ((errno != EWOULDBLOCK && errno != EINTR) ||
          std::chrono::steady_clock::now() >= deadline) {
        int error = errno;
        ::close(fd_);
        throw HostError(dir + " is in use by another vigil command (" + path + " is locked: " +
                        std::strerror(error) + "); try again when it has finished");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~DeviceFolderLock() { ::close(fd_); }  // closing releases the lock
  DeviceFolderLock(const DeviceFolderLock&) = delete;
  DeviceFolderLock& operator=(const DeviceFolderLock&) = delete;

 private:
  int fd_ = -1;
};

struct Device {
  std::string dir, hardware_id;
  std::unique_ptr<Storage> storage;
  std::unique_ptr<UpdateAgent> agent;
};

std::unique_ptr<Storage> MakeStorage(const std::string& dir, const Json& config) {
  DeviceLayout layout{config.at("slot_bytes").get<uint64_t>(),
                      config.at("audit_log_bytes").get<uint64_t>()};
  if (config.at("storage") == "image")
    return std::make_unique<ImageFileStorage>(dir + "/storage.img", layout);
  return std::make_unique<DirectoryStorage>(dir + "/storage", layout);
}

Device OpenDevice(const std::string& dir) {
  std::string path = dir + "/device.json";
  if (!std::filesystem::exists(path))
    throw HostError(dir + ": not a provisioned device (no device.json)");
  Json config = ParseJson(ReadFileText(path), path);
  Device device{dir, config.at("hardware_id").get<std::string>(), MakeStorage(dir, config),
                nullptr};
  device.agent = std::make_unique<UpdateAgent>(*device.storage, device.hardware_id);
  return device;
}

VerifiedPackage Download(const Device& device, const std::string& source) {
  std::filesystem::remove_all(device.dir + "/staging");
  CurlFetcher fetcher;
  return DownloadUpdatePackage(
      source, device.dir + "/tuf", device.dir + "/staging",
      static_cast<int64_t>(device.storage->Capacity("slot-a") - Slot::kTrailerBytes), fetcher);
}

constexpr char kRecoverHint[] =
    "'vigil device log --recover' preserves the damaged log and starts a new one";

Json RunningJson(const std::optional<RunningModel>& running) {
  if (!running) return nullptr;
  return {{"slot", running->slot == 0 ? "slot-a" : "slot-b"},
          {"state", SlotStateName(running->state)},
          {"model_version", running->info.model_version},
          {"release_counter", running->info.release_counter},
          {"sha256", running->info.sha256}};
}

std::string DeviceOption(CommandLine& cli, std::string* dir) {
  cli.Option("-d", "--device", dir, "DIR", "the device folder (default: vigil-device)");
  return *dir;
}

void PrintInstall(const InstallResult& r, const char* what) {
  std::printf("%s into %s: validation metric %.4f", what, r.slot == 0 ? "slot-a" : "slot-b",
              r.metric);
  if (r.running_metric) std::printf(" (running model %.4f)", *r.running_metric);
  std::printf("\n");
}

int Provision(int argc, char** argv) {
  CommandLine cli("vigil device provision",
                  "Set up a device folder and install its first model (factory provisioning).");
  std::string dir = "vigil-device", source, hardware_id, trusted_root;
  bool image = false;
  int slot_kib = 4096, log_kib = 1024;
  DeviceOption(cli, &dir);
  cli.Positional("PKG_DIR_OR_URL", &source, "the first model's package");
  cli.Option("", "--hardware-id", &hardware_id, "ID", "this device's hardware id");
  cli.Option("", "--trusted-root", &trusted_root, "ROOT.json",
             "the update root this device trusts");
  cli.Flag("", "--image", &image,
           "keep storage in one raw image file instead of a folder of regions");
  // A slot holds a model image and its trailer; the smallest slot leaves 4 KiB for the image
  // (a package whose model does not fit is refused by the download, before it is stored).
  const int64_t min_slot_kib = static_cast<int64_t>(Slot::kTrailerBytes >> 10) + 4;
  cli.Option("", "--slot-kib", &slot_kib, "N", "size of each model slot in KiB (default 4096)",
             IntegerRange{min_slot_kib, 1 << 20});
  // An audit record is a few hundred bytes, so 4 KiB holds a dozen; a full log rotates into a
  // preserved copy (docs/updates.md), so a small one only rotates more often.
  cli.Option("", "--log-kib", &log_kib, "N", "size of the audit log in KiB (default 1024)",
             IntegerRange{4, 1 << 20});
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (hardware_id.empty() || trusted_root.empty()) {
    std::fprintf(stderr, "vigil device provision: --hardware-id and --trusted-root are required\n");
    return 2;
  }
  std::filesystem::create_directories(dir);
  DeviceFolderLock lock(dir, DeviceFolderLock::kExclusive);
  if (std::filesystem::exists(dir + "/device.json") && OpenDevice(dir).agent->Running()) {
    throw HostError(dir + ": already provisioned (a model runs)");
  }
  std::filesystem::create_directories(dir + "/tuf");
  WriteFileAtomic(dir + "/tuf/root.json", ReadFileBytes(trusted_root));
  Json config = {{"hardware_id", hardware_id},
                 {"storage", image ? "image" : "directory"},
                 {"slot_bytes", uint64_t(slot_kib) << 10},
                 {"audit_log_bytes", uint64_t(log_kib) << 10}};
  WriteFileAtomic(dir + "/device.json", config.dump(2) + "\n");
  Device device = OpenDevice(dir);
  PrintInstall(device.agent->Provision(Download(device, source)), "provisioned");
  device.agent->Boot();
  return 0;
}

int Status(int argc, char** argv) {
  CommandLine cli("vigil device status",
                  "Show the slots, the security counter and the model that runs.");
  std::string dir = "vigil-device";
  bool json = false;
  DeviceOption(cli, &dir);
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  DeviceFolderLock lock(dir, DeviceFolderLock::kShared);
  Device device = OpenDevice(dir);
  DeviceStatus status = device.agent->Status();
  Json report = {{"hardware_id", device.hardware_id},
                 {"security_counter", status.counter},
                 {"running", RunningJson(status.running)},
                 {"slots", Json::array()},
                 {"audit_log",
                  {{"ok", status.log.ok},
                   {"records", status.log.records},
                   {"problems", status.log.problems},
                   {"preserved", device.agent->log().PreservedLogs()}}}};
  for (const SlotStatus& s : status.slots) {
    Json slot = {{"slot", s.region}, {"state", SlotStateName(s.state)}};
    if (s.info) {
      slot["model_version"] = s.info->model_version;
      slot["release_counter"] = s.info->release_counter;
      slot["sequence"] = s.info->sequence;
      slot["change_control_id"] = s.info->change_control_id;
      slot["sha256"] = s.info->sha256;
    }
    if (s.validated_metric) slot["validated_metric"] = *s.validated_metric;
    report["slots"].push_back(slot);
  }
  if (json) {
    std::printf("%s\n", report.dump(2).c_str());
    return 0;
  }
  std::printf("device %s (hardware %s), security counter %lld\n", dir.c_str(),
              device.hardware_id.c_str(), static_cast<long long>(status.counter));
  for (const Json& s : report["slots"]) {
    std::printf("  %s  %-12s %s\n", s["slot"].get<std::string>().c_str(),
                s["state"].get<std::string>().c_str(),
                s.contains("model_version")
                    ? ("model " + s["model_version"].get<std::string>() + ", release " +
                       std::to_string(s["release_counter"].get<int64_t>()))
                          .c_str()
                    : "");
  }
  if (status.running) {
    std::printf("running: %s (%s) from %s\n", status.running->info.model_version.c_str(),
                SlotStateName(status.running->state),
                status.running->slot == 0 ? "slot-a" : "slot-b");
  } else {
    std::printf("running: no model\n");
  }
  if (status.log.ok) {
    std::printf("audit log: %lld records, verified\n", static_cast<long long>(status.log.records));
  } else {
    std::printf("audit log: DAMAGED: %s\n  %s\n", status.log.problems.front().c_str(),
                kRecoverHint);
  }
  return 0;
}

int Install(int argc, char** argv) {
  CommandLine cli("vigil device install",
                  "Download, verify and validate an update; on success it runs on trial from "
                  "the next start ('vigil device boot') until confirmed.");
  std::string dir = "vigil-device", source;
  DeviceOption(cli, &dir);
  cli.Positional("PKG_DIR_OR_URL", &source, "package directory or update server URL");
  if (auto code = cli.Parse(argc, argv)) return *code;
  DeviceFolderLock lock(dir, DeviceFolderLock::kExclusive);
  Device device = OpenDevice(dir);
  std::filesystem::remove_all(dir + "/staging");
  CurlFetcher fetcher;
  PrintInstall(device.agent->InstallFrom(source, dir + "/tuf", dir + "/staging", fetcher),
               "installed");
  std::printf("pending: runs on trial from the next start ('vigil device boot')\n");
  return 0;
}

int Boot(int argc, char** argv) {
  CommandLine cli("vigil device boot",
                  "Start the device: apply the start-up decision table (a trial starts, an "
                  "unconfirmed trial reverts) and report what runs.");
  std::string dir = "vigil-device";
  DeviceOption(cli, &dir);
  if (auto code = cli.Parse(argc, argv)) return *code;
  DeviceFolderLock lock(dir, DeviceFolderLock::kExclusive);
  Device device = OpenDevice(dir);
  BootResult result = device.agent->Boot();
  for (const std::string& rule : result.rules)
    std::printf("%s\n", rule.c_str());
  for (const std::string& warning : result.warnings)
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  return result.running ? 0 : 1;
}

int Confirm(int argc, char** argv) {
  CommandLine cli("vigil device confirm",
                  "Make the model on trial permanent (after its health checks passed).");
  std::string dir = "vigil-device";
  DeviceOption(cli, &dir);
  if (auto code = cli.Parse(argc, argv)) return *code;
  DeviceFolderLock lock(dir, DeviceFolderLock::kExclusive);
  Device device = OpenDevice(dir);
  device.agent->Confirm();
  std::printf("confirmed; security counter %lld\n",
              static_cast<long long>(device.agent->Status().counter));
  return 0;
}

int Revert(int argc, char** argv) {
  CommandLine cli(
      "vigil device revert",
      "Abandon the model on trial (or pending), or go back to the other confirmed model.");
  std::string dir = "vigil-device";
  DeviceOption(cli, &dir);
  if (auto code = cli.Parse(argc, argv)) return *code;
  DeviceFolderLock lock(dir, DeviceFolderLock::kExclusive);
  Device device = OpenDevice(dir);
  device.agent->Revert();
  std::optional<RunningModel> running = device.agent->Running();
  std::printf("reverted; running: %s\n",
              running ? running->info.model_version.c_str() : "no model");
  return 0;
}

int Log(int argc, char** argv) {
  CommandLine cli("vigil device log",
                  "Print the device's audit log; --verify checks its hash chain; --recover "
                  "preserves a damaged log and starts a new one that continues from it.");
  std::string dir = "vigil-device";
  bool verify = false, json = false, recover = false;
  DeviceOption(cli, &dir);
  cli.Flag("", "--verify", &verify,
           "check the chain; exit 1 on any edited, removed or reordered record");
  cli.Flag("", "--recover", &recover,
           "keep a damaged log whole (in storage/preserved/) and start a new log whose first "
           "record pins it by SHA-256");
  cli.Flag("", "--json", &json, "print JSON");
  if (auto code = cli.Parse(argc, argv)) return *code;
  DeviceFolderLock lock(dir, recover ? DeviceFolderLock::kExclusive : DeviceFolderLock::kShared);
  Device device = OpenDevice(dir);
  if (recover) {
    AuditVerification damage = device.agent->log().Verify();
    std::string preserved = device.agent->log().Recover();
    std::printf("audit log was damaged (%s)\npreserved whole as %s; a new log continues from it\n",
                damage.problems.front().c_str(), preserved.c_str());
    return 0;
  }
  AuditVerification check = device.agent->log().Verify();
  std::vector<AuditRecord> records = device.agent->log().Records();
  Json out = {{"records", Json::array()},
              {"verification",
               {{"ok", check.ok},
                {"records", check.records},
                {"unanchored", check.unanchored},
                {"torn_tail", check.torn_tail},
                {"problems", check.problems}}}};
  for (const AuditRecord& r : records) {
    out["records"].push_back({{"seq", r.seq},
                              {"time", r.time},
                              {"event", r.event},
                              {"details", r.details},
                              {"prev", r.prev},
                              {"hash", r.hash}});
  }
  if (json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else if (!verify) {
    for (const AuditRecord& r : records) {
      std::printf("%4lld %s %-9s %s\n", static_cast<long long>(r.seq), r.time.c_str(),
                  r.event.c_str(), r.details.dump().c_str());
    }
  }
  if (verify && !json) {
    if (check.ok)
      std::printf("audit log verified: %lld records chained%s\n",
                  static_cast<long long>(check.records),
                  check.torn_tail ? " (a torn record after them is ignored)" : "");
    for (const std::string& p : check.problems)
      std::printf("audit log problem: %s\n", p.c_str());
    if (!check.ok) std::printf("%s\n", kRecoverHint);
  }
  return verify && !check.ok ? 1 : 0;
}

}  // namespace

int RunDeviceCommand(int argc, char** argv) {
  return DispatchSubcommand(
      "vigil device",
      {{"provision", "set up a device folder with its first model", Provision},
       {"status", "slots, security counter and the running model", Status},
       {"install", "download, verify, validate and stage an update", Install},
       {"boot", "start the device (trial starts, unconfirmed trial reverts)", Boot},
       {"confirm", "make the model on trial permanent", Confirm},
       {"revert", "abandon the trial, or go back to the previous model", Revert},
       {"log", "print or verify the hash-chained audit log", Log},
       {"simulate-power-cuts", "run the power-cut campaign on an in-memory device",
        RunSimulatePowerCuts}},
      argc, argv);
}

}  // namespace vigil::ota
