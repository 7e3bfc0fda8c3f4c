// The update commands as an operator runs them: vigil keys / package / device / update-server,
// checking exit codes, files and JSON output.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/npy.h"
#include "ota/package/canonical_json.h"
#include "ota/sim/reference_classifier.h"

namespace vigil::ota {
namespace {

namespace fs = std::filesystem;

class UpdateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vigil-cli-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
    vigil = std::string(VIGIL_BIN_DIR) + "/vigil";
    ValidationSet set = sim::ReferenceValidationSet();
    WriteNpy(dir + "/inputs.npy", set.inputs.at(0).samples);
    WriteNpy(dir + "/expected.npy", set.expected);
    WriteFileAtomic(dir + "/v1.vgl", sim::BuildReferenceClassifier(0.25f));
    WriteFileAtomic(dir + "/v2.vgl", sim::BuildReferenceClassifier(0.0f));
    WriteFileAtomic(dir + "/bad.vgl", sim::BuildReferenceClassifier(0.0f, true));
    for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
      EXPECT_EQ(Run("keys generate -o " + dir + "/" + role + ".pem"), 0);
    }
  }
  void TearDown() override { fs::remove_all(dir); }

  int Run(const std::string& args, std::string* out = nullptr, const std::string& env = "") {
    std::string command =
        env + vigil + " " + args + " > " + dir + "/out.txt 2> " + dir + "/err.txt";
    int status = std::system(command.c_str());
    std::string stdout_text = ReadFileText(dir + "/out.txt");
    last_output = stdout_text + ReadFileText(dir + "/err.txt");
    if (out) *out = stdout_text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Create(const std::string& model, const std::string& version, int counter,
                     const std::string& extra = "") {
    return "package create -o " + dir + "/pkg --model " + dir + "/" + model + " --inputs " + dir +
           "/inputs.npy --expected " + dir + "/expected.npy --model-version " + version +
           " --release-counter " + std::to_string(counter) +
           " --hardware-id wpm-r2 --change-control CC-" + version + " --floor 0.8 --max-drop 0.02" +
           " --root-key " + dir + "/root.pem --targets-key " + dir +
           "/targets.pem --snapshot-key " + dir + "/snapshot.pem --timestamp-key " + dir +
           "/timestamp.pem " + extra;
  }
  // A device at dir/device running v1 (confirmed); `extra` goes to `device provision`.
  void ProvisionV1(const std::string& extra = "") {
    ASSERT_EQ(Run(Create("v1.vgl", "1.0.0", 1)), 0) << last_output;
    ASSERT_EQ(
        Run("device provision --device " + dir + "/device --hardware-id wpm-r2 " +
            "--trusted-root " + dir + "/pkg/metadata/1.root.json " + extra + " " + dir + "/pkg"),
        0)
        << last_output;
  }
  // The events of every record of the audit log: the preserved logs' (oldest first), then the
  // current one's, read from the files themselves.
  std::vector<nlohmann::json> AllRecords() {
    std::vector<std::string> files;
    if (fs::exists(dir + "/device/storage/preserved")) {
      for (const auto& entry : fs::directory_iterator(dir + "/device/storage/preserved"))
        files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    files.push_back(dir + "/device/storage/audit-log");
    std::vector<nlohmann::json> records;
    for (const std::string& file : files) {
      std::ifstream in(file);
      for (std::string line; std::getline(in, line);)
        records.push_back(nlohmann::json::parse(line));
    }
    return records;
  }
  nlohmann::json Json(const std::string& args) {
    std::string out;
    EXPECT_EQ(Run(args, &out), 0) << out;
    return nlohmann::json::parse(out);
  }

  std::string dir, vigil, last_output;
};

TEST_F(UpdateCliTest, KeysArePkcs8AndPrivate) {
  std::string pem = ReadFileText(dir + "/root.pem");
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(ReadFileText(dir + "/root.pub.pem").find("-----BEGIN PUBLIC KEY-----"),
            std::string::npos);
  EXPECT_EQ(fs::status(dir + "/root.pem").permissions() & fs::perms::group_read, fs::perms::none);
  EXPECT_EQ(Run("keys generate -o " + dir + "/ec.pem --scheme ecdsa-sha2-nistp256"), 0);
  EXPECT_EQ(Run("keys generate -o " + dir + "/x.pem --scheme dsa"), 1);
  EXPECT_EQ(Run("keys generate"), 2);
}

TEST_F(UpdateCliTest, CreateVerifyInspectProvisionInstallConfirm) {
  ASSERT_EQ(Run(Create("v1.vgl", "1.0.0", 1)), 0) << last_output;
  std::string root = dir + "/pkg/metadata/1.root.json";
  nlohmann::json verified =
      Json("package verify " + dir + "/pkg --trusted-root " + root + " --json");
  EXPECT_EQ(verified["model_version"], "1.0.0");
  EXPECT_DOUBLE_EQ(verified["value"].get<double>(), 0.9);
  nlohmann::json inspected = Json("package inspect " + dir + "/pkg --json");
  EXPECT_EQ(inspected["roles"]["timestamp"]["valid_signatures"], 1);
  EXPECT_EQ(inspected["manifest"]["acceptance"]["floor"], "0.8");

  std::string device = " --device " + dir + "/device";
  ASSERT_EQ(Run("device provision" + device + " --hardware-id wpm-r2 --trusted-root " + root + " " +
                dir + "/pkg"),
            0)
      << last_output;
  EXPECT_EQ(Json("device status --json" + device)["running"]["model_version"], "1.0.0");

  ASSERT_EQ(Run(Create("bad.vgl", "1.5.0", 2)), 0);
  EXPECT_EQ(Run("device install" + device + " " + dir + "/pkg"), 1);
  EXPECT_NE(last_output.find("accuracy 0.0000 is below the floor 0.8000"), std::string::npos)
      << last_output;

  ASSERT_EQ(Run(Create("v2.vgl", "2.0.0", 2)), 0);
  ASSERT_EQ(Run("device install" + device + " " + dir + "/pkg"), 0) << last_output;
  EXPECT_EQ(Run("device boot" + device), 0);
  nlohmann::json status = Json("device status --json" + device);
  EXPECT_EQ(status["running"]["state"], "trial");
  EXPECT_EQ(Run("device confirm" + device), 0);
  status = Json("device status --json" + device);
  EXPECT_EQ(status["running"]["model_version"], "2.0.0");
  EXPECT_EQ(status["security_counter"], 2);

  EXPECT_EQ(Run("device log --verify" + device), 0) << last_output;
  nlohmann::json log = Json("device log --json" + device);
  bool rejected_with_metric = false;
  for (const auto& r : log["records"]) {
    rejected_with_metric |= r["event"] == "reject" && r["details"].value("value", "") == "0";
  }
  EXPECT_TRUE(rejected_with_metric) << log.dump(1);

  // Edit one record of the log on the device: --verify fails.
  std::string path = dir + "/device/storage/audit-log";
  std::string text = ReadFileText(path);
  size_t at = text.find("\"confirm\"");
  text.replace(at, 9, "\"CONFIRM\"");
  WriteFileAtomic(path, text);
  EXPECT_EQ(Run("device log --verify" + device), 1);
  EXPECT_NE(last_output.find("(edited)"), std::string::npos) << last_output;
}

TEST_F(UpdateCliTest, OfflineSigningAndTamperedPackage) {
  // Public keys only: create leaves every role unsigned; sign each with its private key after.
  std::string create = "package create -o " + dir + "/pkg --model " + dir + "/v1.vgl --inputs " +
                       dir + "/inputs.npy --expected " + dir +
                       "/expected.npy --model-version 1.0.0 --release-counter 1 "
                       "--hardware-id wpm-r2 --change-control CC-1 --floor 0.8";
  for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
    create += std::string(" --") + role + "-key " + dir + "/" + role + ".pub.pem";
  }
  ASSERT_EQ(Run(create), 0) << last_output;
  EXPECT_NE(last_output.find("timestamp v1 has 0 of the 1 valid signatures it needs"),
            std::string::npos)
      << last_output;
  std::string root = dir + "/pkg/metadata/1.root.json";
  EXPECT_EQ(Run("package verify " + dir + "/pkg --trusted-root " + root), 1);
  for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
    ASSERT_EQ(
        Run("package sign " + dir + "/pkg --role " + role + " --key " + dir + "/" + role + ".pem"),
        0)
        << last_output;
  }
  EXPECT_EQ(Run("package verify " + dir + "/pkg --trusted-root " + root), 0) << last_output;
  // Change one byte of the stored model: the signed hash no longer matches.
  for (const auto& entry : fs::directory_iterator(dir + "/pkg/targets")) {
    if (entry.path().string().ends_with(".model.vgl")) {
      std::vector<uint8_t> bytes = ReadFileBytes(entry.path().string());
      bytes[10] ^= 1;
      WriteFileAtomic(entry.path().string(), bytes);
    }
  }
  EXPECT_EQ(Run("package verify " + dir + "/pkg --trusted-root " + root), 1);
  EXPECT_NE(last_output.find("hash does not match the signed metadata"), std::string::npos)
      << last_output;
}

// issue 13 (2): the ECG classifier takes two inputs (beat [1, 2, 128], context [1, 12]). A
// validation set for the beat alone must not make a package: the gate would never set context.
TEST_F(UpdateCliTest, ValidationSetMustFeedEveryModelInput) {
  const int64_t n = 3;
  WriteNpy(
      dir + "/beat.npy",
      NpyArray::FromFloat(std::vector<float>(static_cast<size_t>(n) * 256, 0.1f), {n, 2, 128}));
  WriteNpy(dir + "/context.npy",
           NpyArray::FromFloat(std::vector<float>(static_cast<size_t>(n) * 12, 0.0f), {n, 12}));
  std::vector<int32_t> labels(static_cast<size_t>(n), 0);
  WriteNpy(dir + "/labels.npy",
           NpyArray::FromBytes(NpyType::kInt32,
                               {reinterpret_cast<const uint8_t*>(labels.data()), labels.size() * 4},
                               {n}));
  std::string create = "package create -o " + dir + "/pkg --model " +
                       std::string(VIGIL_SOURCE_DIR) + "/models/ecg/ecg_classifier_int8.vgl" +
                       " --expected " + dir + "/labels.npy --model-version 1.0.0" +
                       " --release-counter 1 --hardware-id wpm-r2 --change-control CC-1 --floor 0" +
                       " --root-key " + dir + "/root.pem --targets-key " + dir +
                       "/targets.pem --snapshot-key " + dir + "/snapshot.pem --timestamp-key " +
                       dir + "/timestamp.pem";
  EXPECT_EQ(Run(create + " --inputs " + dir + "/beat.npy"), 1) << last_output;
  EXPECT_NE(last_output.find("1 input array(s) for a model with 2 inputs"), std::string::npos)
      << last_output;
  EXPECT_FALSE(fs::exists(dir + "/pkg"));  // nothing half-written
  EXPECT_EQ(Run(create + " --inputs " + dir + "/context.npy --inputs " + dir + "/beat.npy"), 1);
  EXPECT_NE(
      last_output.find("[3, 12] does not hold samples of the model's input shape [1, 2, 128]"),
      std::string::npos)
      << last_output;
  ASSERT_EQ(Run(create + " --inputs " + dir + "/beat.npy --inputs " + dir + "/context.npy"), 0)
      << last_output;
  nlohmann::json verified = Json("package verify " + dir + "/pkg --trusted-root " + dir +
                                 "/pkg/metadata/1.root.json --json");
  EXPECT_EQ(verified["model_version"], "1.0.0");
  nlohmann::json inputs =
      Json("package inspect " + dir + "/pkg --json")["manifest"]["validation_set"]["inputs"];
  ASSERT_EQ(inputs.size(), 2u) << inputs.dump();
  EXPECT_EQ(inputs[1]["target"], "validation/input-1.npy");
}

TEST_F(UpdateCliTest, InstallFromTheUpdateServer) {
  ASSERT_EQ(Run(Create("v1.vgl", "1.0.0", 1)), 0);
  std::string device = " --device " + dir + "/device";
  ASSERT_EQ(Run("device provision" + device + " --image --hardware-id wpm-r2 --trusted-root " +
                dir + "/pkg/metadata/1.root.json " + dir + "/pkg"),
            0)
      << last_output;
  EXPECT_TRUE(fs::exists(dir + "/device/storage.img"));
  ASSERT_EQ(Run(Create("v2.vgl", "2.0.0", 2)), 0);
  int port = 20000 + static_cast<int>(getpid() % 20000);
  pid_t server = fork();
  if (server == 0) {
    execl(vigil.c_str(), vigil.c_str(), "update-server", (dir + "/pkg").c_str(), "--port",
          std::to_string(port).c_str(), "--db", (dir + "/server.sqlite").c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  int rc = 1;
  for (int attempt = 0; attempt < 50 && rc != 0; ++attempt) {  // until the server listens
    usleep(100000);
    rc = Run("device install" + device + " " + url);
  }
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  ASSERT_EQ(rc, 0) << last_output;
  EXPECT_EQ(Run("device boot" + device), 0);
  EXPECT_EQ(Run("device confirm" + device), 0);
  EXPECT_EQ(Json("device status --json" + device)["running"]["model_version"], "2.0.0");
}

// Issue 13 item 3: one flipped byte in the audit log stopped every start of a runnable model.
TEST_F(UpdateCliTest, DamagedAuditLogIsReportedKeptAndRecoveredWhileTheDeviceStarts) {
  ProvisionV1();
  std::string device = " --device " + dir + "/device";
  std::string path = dir + "/device/storage/audit-log";
  std::vector<uint8_t> log = ReadFileBytes(path);
  log[log.size() / 2] ^= 0x01;  // one flipped bit inside an anchored record
  WriteFileAtomic(path, log);

  EXPECT_EQ(Run("device boot" + device), 0) << last_output;
  EXPECT_NE(last_output.find("warning: the audit log is damaged"), std::string::npos)
      << last_output;
  EXPECT_EQ(ReadFileBytes(path), log);  // the evidence is left as it was
  nlohmann::json status = Json("device status --json" + device);
  EXPECT_EQ(status["running"]["model_version"], "1.0.0");
  EXPECT_EQ(status["audit_log"]["ok"], false);
  EXPECT_EQ(Run("device log --verify" + device), 1);
  EXPECT_NE(last_output.find("vigil device log --recover"), std::string::npos) << last_output;
  EXPECT_EQ(Run("device install" + device + " " + dir + "/pkg"), 1);  // changes wait for recovery
  EXPECT_NE(last_output.find("audit log is damaged"), std::string::npos) << last_output;

  ASSERT_EQ(Run("device log --recover" + device), 0) << last_output;
  std::vector<std::string> preserved;
  for (const auto& entry : fs::directory_iterator(dir + "/device/storage/preserved"))
    preserved.push_back(entry.path().string());
  ASSERT_EQ(preserved.size(), 1u);
  EXPECT_EQ(ReadFileBytes(preserved[0]), log);  // kept whole, byte for byte
  EXPECT_EQ(Run("device log --verify" + device), 0) << last_output;
  EXPECT_EQ(Run("device boot" + device), 0) << last_output;
  EXPECT_EQ(last_output.find("warning"), std::string::npos) << last_output;
  nlohmann::json records = Json("device log --json" + device)["records"];
  ASSERT_EQ(records.size(), 2u) << records.dump(1);
  EXPECT_EQ(records[0]["event"], "log-continued");
  EXPECT_EQ(records[0]["details"]["preserved"], fs::path(preserved[0]).filename().string());
  EXPECT_EQ(records[0]["prev"], Sha256Hex(log));  // the new chain pins the preserved bytes
  EXPECT_EQ(records[1]["event"], "boot");
  EXPECT_EQ(Run("device log --recover" + device), 1);  // an intact log needs no recovery
}

// Issue 13 item 3: a full log (4 KiB, nine starts) stopped every start.
TEST_F(UpdateCliTest, FullAuditLogRotatesAndEveryStartIsRecorded) {
  ProvisionV1("--log-kib 4");
  std::string device = " --device " + dir + "/device";
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(Run("device boot" + device), 0) << "start " << i + 1 << ": " << last_output;
  EXPECT_EQ(Run("device log --verify" + device), 0) << last_output;
  std::vector<nlohmann::json> records = AllRecords();
  int boots = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i]["seq"], i + 1) << records[i].dump();  // nothing lost across the logs
    boots += records[i]["event"] == "boot";
  }
  EXPECT_EQ(boots, 21);  // provisioning's start and the twenty above
  int full_logs = 0;
  for (const auto& entry : fs::directory_iterator(dir + "/device/storage/preserved"))
    full_logs += entry.path().string().ends_with(".full");
  EXPECT_GE(full_logs, 1);
}

// Issue 13 item 5: concurrent commands on one device folder lost audit records.
TEST_F(UpdateCliTest, ConcurrentStartsAreAllRecorded) {
  ProvisionV1();
  std::string device_dir = dir + "/device";
  // A start barrier: each child waits for the end of a pipe, then execs vigil, so all thirty
  // read the log together (started one by one they may not overlap, and the race hides).
  int barrier[2];
  ASSERT_EQ(pipe(barrier), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, barrier[0], 0);
  posix_spawn_file_actions_addclose(&actions, barrier[1]);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // The thirty queue for the lock one after another: give them time enough on a loaded machine.
  std::string wait = "VIGIL_DEVICE_LOCK_WAIT_S=600";
  std::vector<char*> env = {wait.data()};
  for (char** e = environ; *e; ++e)
    env.push_back(*e);
  env.push_back(nullptr);
  std::vector<pid_t> children;
  for (int i = 0; i < 30; ++i) {
    const char* argv[] = {"/bin/sh",
                          "-c",
                          "read _; exec \"$0\" device boot --device \"$1\"",
                          vigil.c_str(),
                          device_dir.c_str(),
                          nullptr};
    pid_t pid;
    ASSERT_EQ(posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char**>(argv), env.data()),
              0);
    children.push_back(pid);
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(barrier[0]);
  ::close(barrier[1]);  // end of file: all thirty go
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::string device = " --device " + device_dir;
  EXPECT_EQ(Run("device log --verify" + device), 0) << last_output;
  int boots = 0;
  nlohmann::json log = Json("device log --json" + device);
  for (const auto& r : log["records"])
    boots += r["event"] == "boot";
  EXPECT_EQ(boots, 31);  // provisioning's start and the thirty above

  // A record removed from the middle fails verification.
  std::string path = device_dir + "/storage/audit-log";
  std::string text = ReadFileText(path);
  size_t second = text.find('\n') + 1, third = text.find('\n', second) + 1;
  WriteFileAtomic(path, text.substr(0, second) + text.substr(third));
  EXPECT_EQ(Run("device log --verify" + device), 1);
  EXPECT_NE(last_output.find("a record was removed or reordered"), std::string::npos)
      << last_output;
}

// Issue 13 item 5: a command that cannot get the device folder says so instead of racing.
TEST_F(UpdateCliTest, ABusyDeviceFolderIsRefusedWithAClearMessage) {
  ProvisionV1();
  std::string device = " --device " + dir + "/device";
  int fd = ::open((dir + "/device/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // another command holds the device
  EXPECT_EQ(Run("device boot" + device, nullptr, "VIGIL_DEVICE_LOCK_WAIT_S=0 "), 1);
  EXPECT_NE(last_output.find("is in use by another vigil command"), std::string::npos)
      << last_output;
  ::close(fd);
  EXPECT_EQ(Run("device boot" + device, nullptr, "VIGIL_DEVICE_LOCK_WAIT_S=0 "), 0) << last_output;
}

TEST_F(UpdateCliTest, PowerCutCampaignJson) {
  nlohmann::json r =
      Json("device simulate-power-cuts --runs 50 --json -o " + dir + "/power_cuts.json");
  EXPECT_EQ(r["failures"], 0);
  EXPECT_EQ(r["cut_points_covered"]["update"], r["cut_points"]["update"]);
  EXPECT_EQ(r["random_runs"], 50);
  nlohmann::json file = nlohmann::json::parse(ReadFileText(dir + "/power_cuts.json"));
  for (const char* key : {"commit", "date", "command"})
    EXPECT_TRUE(file.contains(key)) << key;
}

}  // namespace
}  // namespace vigil::ota
