// The update commands' numbers as an operator types them: each numeric option is range-checked
// before anything is signed, served or written (issue 13, item 9), and `package create` says what
// a role's signatures actually lack (item 14). Run through build/bin/vigil (testing/cli_runner).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "host/atomic_file.h"
#include "host/npy.h"
#include "ota/sim/reference_classifier.h"
#include "testing/cli_runner.h"

namespace vigil::ota {
namespace {

namespace fs = std::filesystem;
using vigil::testing::CommandResult;
using vigil::testing::RunVigil;

class UpdateOptionRangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vigil-option-ranges-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ValidationSet set = sim::ReferenceValidationSet();
    WriteNpy(dir_ + "/inputs.npy", set.inputs.at(0).samples);
    WriteNpy(dir_ + "/expected.npy", set.expected);
    WriteFileAtomic(dir_ + "/v1.vgl", sim::BuildReferenceClassifier(0.25f));
    ASSERT_EQ(RunVigil({"keys", "generate", "-o", dir_ + "/key.pem"}).exit_code, 0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `package create` of v1.vgl into DIR/pkg, every role keyed with DIR/`key`, plus `extra`.
  CommandResult Create(std::vector<std::string> extra, bool with_root_key = true,
                       const std::string& key = "key.pem") {
    std::vector<std::string> args = {"package",
                                     "create",
                                     "-o",
                                     dir_ + "/pkg",
                                     "--model",
                                     dir_ + "/v1.vgl",
                                     "--inputs",
                                     dir_ + "/inputs.npy",
                                     "--expected",
                                     dir_ + "/expected.npy",
                                     "--model-version",
                                     "1.0.0",
                                     "--hardware-id",
                                     "wpm-r2",
                                     "--change-control",
                                     "CC-1",
                                     "--floor",
                                     "0.8"};
    for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
      if (role == std::string("root") && !with_root_key) continue;
      args.insert(args.end(), {std::string("--") + role + "-key", dir_ + "/" + key});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return RunVigil(args);
  }

  std::string dir_;
};

TEST_F(UpdateOptionRangesTest, ReleaseCounterBeyond32BitsIsRefusedNotWrapped) {
  // 4294967299 = 2^32 + 3 was once signed as release counter 3.
  CommandResult r = Create({"--release-counter", "4294967299"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(
      r.err.find("--release-counter expects an integer from 0 to 4294967295, got '4294967299'"),
      std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ + "/pkg")) << "nothing may be written for a refused number";
  // The parser's unit tests (host/command_line_test.cc) try the other malformed numbers.
  for (const char* bad : {"-1", "3x"}) {
    r = Create({"--release-counter", bad});
    EXPECT_EQ(r.exit_code, 2) << "'" << bad << "': " << r.err;
  }
  // The largest 32-bit counter is signed exactly.
  r = Create({"--release-counter", "4294967295"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunVigil({"package", "inspect", dir_ + "/pkg", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["manifest"]["release_counter"], 4294967295LL);
}

TEST_F(UpdateOptionRangesTest, ExpiryDaysMustBeFiniteAndBounded) {
  // "inf" once wrote an expiry in the year -219246472 and exited 0.
  for (const char* bad : {"inf", "nan", "0", "36501"}) {
    CommandResult r = Create({"--release-counter", "1", "--expires-days", bad});
    EXPECT_EQ(r.exit_code, 2) << "'" << bad << "': " << r.out << r.err;
    EXPECT_NE(
        r.err.find(std::string("--expires-days expects a number over 0 and at most 36500, got '") +
                   bad + "'"),
        std::string::npos)
        << r.err;
  }
  EXPECT_EQ(Create({"--release-counter", "1", "--root-expires-days", "inf"}).exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ + "/pkg"));
  EXPECT_EQ(Create({"--release-counter", "1", "--expires-days", "0.5"}).exit_code, 0);
}

TEST_F(UpdateOptionRangesTest, PortOutsideOneTo65535IsRefused) {
  // 83967 once listened on 83967 - 65536 = 18431. The folder is not a repository either, so
  // only the port check can answer with a usage error (and nothing can start serving).
  for (const char* bad : {"83967", "0"}) {
    CommandResult r = RunVigil({"update-server", dir_, "--port", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_NE(
        r.err.find(std::string("--port expects an integer from 1 to 65535, got '") + bad + "'"),
        std::string::npos)
        << r.err;
  }
  EXPECT_NE(RunVigil({"update-server", "--help"}).out.find("an integer from 1 to 65535"),
            std::string::npos);
}

TEST_F(UpdateOptionRangesTest, ProvisionRefusesSlotSizesBeforeWritingAnything) {
  ASSERT_EQ(Create({"--release-counter", "1"}).exit_code, 0);
  const std::string device = dir_ + "/device";
  auto provision = [&](const std::string& slot_kib) {
    return RunVigil({"device", "provision", "--device", device, "--hardware-id", "wpm-r2",
                     "--trusted-root", dir_ + "/pkg/metadata/1.root.json", "--slot-kib", slot_kib,
                     dir_ + "/pkg"});
  };
  // 0, 1 and 4 KiB cannot hold the 4 KiB trailer and a model; -1 once became 2^64 - 1024 bytes.
  for (const char* bad : {"0", "1", "4", "-1", "1048577"}) {
    CommandResult r = provision(bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find(std::string("--slot-kib expects an integer from 8 to 1048576, got '") +
                         bad + "'"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(device)) << "--slot-kib " << bad << " left a device folder";
  }
  CommandResult r = provision("4096");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(UpdateOptionRangesTest, ThresholdsAreOneTo255AndAtMostTheKeys) {
  for (const char* bad : {"0", "256"}) {
    CommandResult r = Create({"--release-counter", "1", "--targets-threshold", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_NE(
        r.err.find(std::string("--targets-threshold expects an integer from 1 to 255, got '") +
                   bad + "'"),
        std::string::npos)
        << r.err;
  }
  CommandResult r = Create({"--release-counter", "1", "--root-threshold", "2"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(
      r.err.find("root: needs at least one key and a threshold between 1 and the number of keys"),
      std::string::npos)
      << r.err;
}

TEST_F(UpdateOptionRangesTest, CreateReportsWhatARoleLacksNotThatASignedRootIsUnsigned) {
  ASSERT_EQ(Create({"--release-counter", "1"}).exit_code, 0);
  // The next version keeps root v1, which key.pem signed: nothing about root may be reported.
  CommandResult r = Create({"--release-counter", "2"}, /*with_root_key=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("root is unsigned"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("root v1 has"), std::string::npos) << r.out;
  r = RunVigil(
      {"package", "verify", dir_ + "/pkg", "--trusted-root", dir_ + "/pkg/metadata/1.root.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(UpdateOptionRangesTest, CreateWithPublicKeysSaysHowManySignaturesEachRoleLacks) {
  CommandResult r = Create({"--release-counter", "1"}, true, "key.pub.pem");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
    EXPECT_NE(r.out.find(std::string(role) + " v1 has 0 of the 1 valid signatures it needs"),
              std::string::npos)
        << r.out;
  }
}

}  // namespace
}  // namespace vigil::ota
