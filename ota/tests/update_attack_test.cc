// Attacks and bad input against a provisioned device, each through the real path: package
// repository -> update server over HTTP -> TUF client -> update agent. Each must be refused with a
// clear error, activate nothing, leave v1 running, and be logged as "reject".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "host/atomic_file.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"
#include "ota/sim/memory_storage.h"
#include "ota/sim/reference_classifier.h"
#include "ota/testbed/update_testbed.h"

namespace vigil::ota {
namespace {

using testbed::Release;
using testbed::UpdateTestbed;

class UpdateAttackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bed.Publish({.version = "1.0.0", .release_counter = 1, .bias0 = 0.25f});
    bed.ProvisionDevice();
    ASSERT_EQ(bed.RunningVersion(), "1.0.0");
  }

  // The attack must fail with `expected` in its message and change nothing that runs.
  void ExpectRejected(const std::string& expected,
                      std::optional<UnixTime> reference_time = std::nullopt,
                      const UpdaterConfig& config = {}) {
    try {
      bed.Install(reference_time, config);
      FAIL() << "the update was accepted; expected rejection containing: " << expected;
    } catch (const HostError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
    EXPECT_EQ(bed.RunningVersion(), "1.0.0");
    DeviceStatus status = bed.agent->Status();
    for (const SlotStatus& s : status.slots) {
      EXPECT_NE(s.state, SlotState::kPending) << s.region;
      EXPECT_NE(s.state, SlotState::kTrial) << s.region;
    }
    EXPECT_EQ(bed.agent->Boot().running->info.model_version, "1.0.0");  // and after a restart too
    nlohmann::json reject = bed.LastRecord("reject");
    ASSERT_FALSE(reject.is_null());
    EXPECT_NE(reject["reason"].get<std::string>().find(expected), std::string::npos)
        << reject.dump();
    EXPECT_TRUE(bed.agent->log().Verify().ok);
  }

  // Rewrites the newest version of a role in place (keeping its version) and re-signs it.
  void Tamper(const std::string& role, const std::function<void(nlohmann::json&)>& edit,
              const PrivateKey* key) {
    nlohmann::json doc = bed.repo.Load(role);
    edit(doc["signed"]);
    doc["signatures"] = nlohmann::json::array();
    bed.repo.Store(role, doc);
    if (key) bed.repo.Sign(role, *key);
  }

  UpdateTestbed bed;
};

TEST_F(UpdateAttackTest, UnsignedMetadata) {
  bed.Publish({.version = "2.0.0", .release_counter = 2, .sign = false});
  ExpectRejected("timestamp: signed by 0 of the 1 keys required");
}

TEST_F(UpdateAttackTest, SignedWithTheWrongKey) {
  bed.Publish({.version = "2.0.0", .release_counter = 2, .sign = false});
  PrivateKey attacker = PrivateKey::Generate(KeyScheme::kEd25519);
  bed.repo.Sign("targets", attacker);
  bed.repo.Sign("snapshot", bed.snapshot_key);
  bed.repo.RefreshTimestamp();
  bed.repo.Sign("timestamp", bed.timestamp_key);
  ExpectRejected("targets: signed by 0 of the 1 keys required");
}

TEST_F(UpdateAttackTest, ThresholdNotMet) {
  // Root v2 raises the targets threshold to 2 of two keys; the package carries one signature.
  PrivateKey second = PrivateKey::Generate(KeyScheme::kEd25519);
  bed.repo.WriteRoot({{"targets", {{bed.targets_key.Public(), second.Public()}, 2}}},
                     DaysFromNow(365));
  bed.repo.Sign("root", bed.root_key);
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  ExpectRejected("targets: signed by 1 of the 2 keys required");
}

TEST_F(UpdateAttackTest, SameKeyUnderTwoSignaturesCountsOnce) {
  PrivateKey second = PrivateKey::Generate(KeyScheme::kEd25519);
  bed.repo.WriteRoot({{"targets", {{bed.targets_key.Public(), second.Public()}, 2}}},
                     DaysFromNow(365));
  bed.repo.Sign("root", bed.root_key);
  bed.Publish({.version = "2.0.0", .release_counter = 2, .sign = false});
  // Two signature entries by the one key we hold: the second reuses the keyid of the other key.
  nlohmann::json targets = bed.repo.Load("targets");
  std::string sig = bed.targets_key.Sign(CanonicalJson(targets["signed"]));
  targets["signatures"] = {{{"keyid", bed.targets_key.Public().KeyId()}, {"sig", sig}},
                           {{"keyid", second.Public().KeyId()}, {"sig", sig}}};
  bed.repo.Store("targets", targets);
  bed.repo.Sign("snapshot", bed.snapshot_key);
  bed.repo.RefreshTimestamp();
  bed.repo.Sign("timestamp", bed.timestamp_key);
  ExpectRejected("targets: signed by 1 of the 2 keys required");
}

TEST_F(UpdateAttackTest, ExpiredMetadata) {
  bed.Publish({.version = "2.0.0", .release_counter = 2, .expires = DaysFromNow(-1)});
  ExpectRejected("timestamp: expired on");
}

TEST_F(UpdateAttackTest, FreezeAttackReplaysStaleMetadata) {
  // The server keeps serving the metadata the device already has; time passes beyond its expiry.
  ExpectRejected("(freeze attack?)", DaysFromNow(45));
}

TEST_F(UpdateAttackTest, TimestampRollback) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();  // the device now trusts timestamp v2
  bed.agent->Revert();
  nlohmann::json old_timestamp = bed.repo.Load("timestamp");
  old_timestamp["signed"]["version"] = 1;
  old_timestamp["signatures"] = nlohmann::json::array();
  bed.repo.Store("timestamp", old_timestamp);
  bed.repo.Sign("timestamp", bed.timestamp_key);
  ExpectRejected("timestamp: version 1 is older than trusted version 2 (rollback attack)");
}

TEST_F(UpdateAttackTest, SnapshotRollback) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();
  bed.agent->Revert();
  nlohmann::json ts = bed.repo.Load("timestamp");
  ts["signed"]["version"] = ts["signed"]["version"].get<int64_t>() + 1;
  ts["signed"]["meta"]["snapshot.json"] = {{"version", 1}};
  ts["signatures"] = nlohmann::json::array();
  bed.repo.Store("timestamp", ts);
  bed.repo.Sign("timestamp", bed.timestamp_key);
  ExpectRejected("lists snapshot version 1, older than trusted 2 (rollback attack)");
}

TEST_F(UpdateAttackTest, TargetsRollback) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();
  bed.agent->Revert();
  // A fresh snapshot (v3) that lists the old targets v1.
  nlohmann::json snapshot = bed.repo.Load("snapshot");
  snapshot["signed"]["version"] = 3;
  snapshot["signed"]["meta"]["targets.json"]["version"] = 1;
  snapshot["signatures"] = nlohmann::json::array();
  bed.repo.Store("snapshot", snapshot);
  bed.repo.Sign("snapshot", bed.snapshot_key);
  bed.repo.WriteTimestamp(DaysFromNow(30));
  bed.repo.Sign("timestamp", bed.timestamp_key);
  ExpectRejected("snapshot: lists targets.json version 1, older than trusted 2 (rollback attack)");
}

TEST_F(UpdateAttackTest, RootRollback) {
  bed.repo.WriteRoot({}, DaysFromNow(365));  // root v2, same keys
  bed.repo.Sign("root", bed.root_key);
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();
  bed.agent->Revert();
  // The server now offers a "root v3" that is really version 1 again.
  nlohmann::json old_root = nlohmann::json::parse(ReadFileText(bed.repo.FilePath("root", 1)));
  WriteFileAtomic(bed.repo.FilePath("root", 3), old_root.dump());
  ExpectRejected("version 1 is not trusted version + 1 (rollback)");
}

TEST_F(UpdateAttackTest, MixAndMatch) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  // Timestamp names snapshot v2 by version only; the server hands out the old, validly signed
  // snapshot v1 under that name.
  Tamper(
      "timestamp",
      [](nlohmann::json& s) {
        s["meta"]["snapshot.json"] = {{"version", 2}};
      },
      &bed.timestamp_key);
  WriteFileAtomic(bed.repo.FilePath("snapshot", 2),
                  ReadFileBytes(bed.repo.FilePath("snapshot", 1)));
  ExpectRejected("snapshot: version 1 is not the version 2 that timestamp lists (mix-and-match?)");
}

TEST_F(UpdateAttackTest, SubstitutedTarget) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  std::vector<uint8_t> other = sim::BuildReferenceClassifier(0.0f, true);
  std::vector<uint8_t> original = ReadFileBytes(bed.TargetFile("model.vgl"));
  other.resize(original.size(), 0);
  WriteFileAtomic(bed.TargetFile("model.vgl"), other);
  ExpectRejected("model.vgl: sha256 hash does not match the signed metadata");
}

TEST_F(UpdateAttackTest, OversizedTargetIsCutOffAtTheSignedLength) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  std::vector<uint8_t> bytes = ReadFileBytes(bed.TargetFile("model.vgl"));
  bytes.resize(bytes.size() + (1 << 20), 0x41);  // an endless-data attack, 1 MiB too long
  WriteFileAtomic(bed.TargetFile("model.vgl"), bytes);
  ExpectRejected("bytes allowed");
}

TEST_F(UpdateAttackTest, SignedTargetLargerThanASlot) {
  bed.Publish(
      {.version = "2.0.0", .release_counter = 2, .model = std::vector<uint8_t>(100 << 10, 7)});
  ExpectRejected("is more than the 61440 this device accepts (oversized target)");
}

TEST_F(UpdateAttackTest, OversizedMetadata) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  Tamper(
      "timestamp", [](nlohmann::json& s) { s["padding"] = std::string(20000, 'x'); },
      &bed.timestamp_key);
  ExpectRejected("longer than the 16384 bytes allowed");
}

TEST_F(UpdateAttackTest, TruncatedDownload) {
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  std::vector<uint8_t> bytes = ReadFileBytes(bed.TargetFile("model.vgl"));
  bytes.resize(bytes.size() / 2);
  WriteFileAtomic(bed.TargetFile("model.vgl"), bytes);
  ExpectRejected("model.vgl: length");
}

TEST_F(UpdateAttackTest, WrongHardwareId) {
  bed.Publish({.version = "2.0.0", .release_counter = 2, .hardware_ids = {"wpm-r1", "holter-3"}});
  ExpectRejected("hardware id 'wpm-r2' is not among the package's hardware ids");
}

TEST_F(UpdateAttackTest, LowerReleaseCounter) {
  bed.Publish({.version = "0.9.0", .release_counter = 0});
  ExpectRejected("release counter 0 is below the device's security counter 1 (rollback)");
}

TEST_F(UpdateAttackTest, ModelBelowTheAccuracyFloor) {
  bed.Publish({.version = "2.0.0", .release_counter = 2, .swapped = true});
  ExpectRejected("accuracy 0.0000 is below the floor 0.8000");
  EXPECT_EQ(bed.LastRecord("validate")["value"], "0");
  EXPECT_EQ(bed.LastRecord("reject")["value"], "0");
}

TEST_F(UpdateAttackTest, ModelDropsMoreThanAllowed) {
  bed.Publish({.version = "2.0.0", .release_counter = 2, .bias0 = 0.35f, .max_drop = 0.02});
  ExpectRejected(
      "accuracy 0.8500 is 0.0500 below the running model's 0.9000 (allowed drop 0.0200)");
}

TEST_F(UpdateAttackTest, CorruptModelInsideAValidlySignedPackage) {
  std::vector<uint8_t> model = sim::BuildReferenceClassifier(0.0f);
  model[model.size() / 2] ^=
      0xFF;  // flipped after the model was written: the signature covers this
  bed.Publish({.version = "2.0.0", .release_counter = 2, .model = model});
  ExpectRejected("validation could not run the new model: model rejected by the runtime verifier");
}

TEST_F(UpdateAttackTest, DiskFull) {
  UpdateTestbed full;
  auto storage = std::make_unique<sim::MemoryStorage>(DeviceLayout{64 << 10, 64 << 10}, 7);
  sim::MemoryStorage* memory = storage.get();
  full.UseStorage(std::move(storage));
  full.Publish({.version = "1.0.0", .release_counter = 1, .bias0 = 0.25f});
  full.ProvisionDevice();
  full.Publish({.version = "2.0.0", .release_counter = 2});
  memory->SetWriteLimit("slot-b", 512);  // the inactive slot's partition fills up mid-image
  try {
    full.Install();
    FAIL() << "install succeeded on a full disk";
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  memory->SetWriteLimit("slot-b", std::nullopt);
  EXPECT_EQ(full.RunningVersion(), "1.0.0");
  EXPECT_EQ(full.agent->Boot().running->info.model_version, "1.0.0");
  EXPECT_NE(full.LastRecord("reject")["reason"].get<std::string>().find("No space left"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::ota
