// The update commands as an operator runs them: vigil keys / package / device / update-server,
// checking exit codes, files and JSON output.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "host/atomic_file.h"
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
    sim::ValidationSet set = sim::ReferenceValidationSet();
    WriteNpy(dir + "/inputs.npy", set.inputs);
    WriteNpy(dir + "/expected.npy", set.expected);
    WriteFileAtomic(dir + "/v1.vgl", sim::BuildReferenceClassifier(0.25f));
    WriteFileAtomic(dir + "/v2.vgl", sim::BuildReferenceClassifier(0.0f));
    WriteFileAtomic(dir + "/bad.vgl", sim::BuildReferenceClassifier(0.0f, true));
    for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
      EXPECT_EQ(Run("keys generate -o " + dir + "/" + role + ".pem"), 0);
    }
  }
  void TearDown() override { fs::remove_all(dir); }

  int Run(const std::string& args, std::string* out = nullptr) {
    std::string command = vigil + " " + args + " > " + dir + "/out.txt 2> " + dir + "/err.txt";
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
