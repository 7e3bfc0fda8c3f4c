// End to end on a device: a better model installs, validates, runs on trial and is confirmed; a
// restart during the trial reverts; revert by command; both storage backends (folder and raw
// image).
#include <gtest/gtest.h>

#include "host/error.h"
#include "ota/testbed/update_testbed.h"

namespace vigil::ota {
namespace {

using testbed::UpdateTestbed;

std::vector<std::string> Events(UpdateTestbed& bed) {
  std::vector<std::string> events;
  for (const AuditRecord& r : bed.agent->log().Records())
    events.push_back(r.event);
  return events;
}

void ProvisionV1(UpdateTestbed& bed) {
  bed.Publish({.version = "1.0.0", .release_counter = 1, .bias0 = 0.25f});
  bed.ProvisionDevice();
}

TEST(UpdateEndToEndTest, BetterModelInstallsRunsOnTrialAndIsConfirmed) {
  UpdateTestbed bed;
  ProvisionV1(bed);
  EXPECT_EQ(bed.agent->Status().counter, 1);
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  InstallResult installed = bed.Install();
  EXPECT_DOUBLE_EQ(installed.metric, 1.0);           // 20/20 by construction
  EXPECT_DOUBLE_EQ(*installed.running_metric, 0.9);  // 18/20 by construction
  EXPECT_EQ(installed.slot, 1);
  EXPECT_EQ(bed.RunningVersion(), "1.0.0");  // nothing runs the new model before a start
  EXPECT_EQ(bed.agent->Status().slots[1].state, SlotState::kPending);

  BootResult boot = bed.agent->Boot();
  ASSERT_TRUE(boot.running);
  EXPECT_EQ(boot.running->state, SlotState::kTrial);
  EXPECT_EQ(bed.RunningVersion(), "2.0.0 (trial)");
  EXPECT_EQ(bed.agent->Status().counter, 1);  // not before confirm
  EXPECT_THROW(bed.Install(), HostError);     // no second update while one is on trial

  bed.agent->Confirm();
  EXPECT_EQ(bed.RunningVersion(), "2.0.0");
  EXPECT_EQ(bed.agent->Status().counter, 2);
  EXPECT_EQ(bed.agent->Boot().running->info.model_version, "2.0.0");  // and stays after restarts
  EXPECT_EQ(bed.LastRecord("validate")["value"], "1");
  EXPECT_EQ(bed.LastRecord("validate")["running_value"], "0.9");
  std::vector<std::string> expected = {
      "install", "verify", "validate", "confirm",  "boot",  // provisioning
      "install", "verify", "validate", "activate", "boot", "confirm", "boot"};
  EXPECT_EQ(Events(bed), expected);
  EXPECT_TRUE(bed.agent->log().Verify().ok);
}

TEST(UpdateEndToEndTest, RestartDuringTrialReverts) {
  UpdateTestbed bed;
  ProvisionV1(bed);
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();
  EXPECT_EQ(bed.agent->Boot().running->state, SlotState::kTrial);
  // The device crashes (or fails its health check and restarts) before confirming.
  BootResult after = bed.agent->Boot();
  ASSERT_TRUE(after.running);
  EXPECT_EQ(after.running->info.model_version, "1.0.0");
  EXPECT_EQ(after.running->state, SlotState::kConfirmed);
  EXPECT_EQ(bed.agent->Status().slots[1].state, SlotState::kBad);
  EXPECT_EQ(bed.agent->Status().counter, 1);
  EXPECT_EQ(bed.LastRecord("revert")["reason"], "restarted before the trial was confirmed");
  EXPECT_THROW(bed.agent->Confirm(), HostError);
}

TEST(UpdateEndToEndTest, RevertCommandAbandonsTheTrial) {
  UpdateTestbed bed;
  ProvisionV1(bed);
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();
  bed.agent->Boot();
  bed.agent->Revert();
  EXPECT_EQ(bed.RunningVersion(), "1.0.0");
  EXPECT_EQ(bed.agent->Boot().running->info.model_version, "1.0.0");
  // The same release can be installed again later (its slot is rewritten).
  bed.Publish({.version = "2.0.1", .release_counter = 2});
  bed.Install();
  bed.agent->Boot();
  bed.agent->Confirm();
  EXPECT_EQ(bed.RunningVersion(), "2.0.1");
}

TEST(UpdateEndToEndTest, RevertAfterConfirmOnlyWhileTheCounterAllowsIt) {
  UpdateTestbed bed;
  ProvisionV1(bed);
  bed.Publish({.version = "1.1.0", .release_counter = 1});  // same security level
  bed.Install();
  bed.agent->Boot();
  bed.agent->Confirm();
  bed.agent->Revert();  // back to 1.0.0: allowed, both are release 1
  EXPECT_EQ(bed.RunningVersion(), "1.0.0");

  UpdateTestbed bed2;
  ProvisionV1(bed2);
  bed2.Publish({.version = "2.0.0", .release_counter = 2});
  bed2.Install();
  bed2.agent->Boot();
  bed2.agent->Confirm();
  EXPECT_THROW(bed2.agent->Revert(), HostError);  // 1.0.0 is below the counter now
  EXPECT_EQ(bed2.RunningVersion(), "2.0.0");
}

TEST(UpdateEndToEndTest, RawImageStorage) {
  UpdateTestbed bed;
  bed.UseStorage(std::make_unique<ImageFileStorage>(bed.dir + "/device.img",
                                                    DeviceLayout{64 << 10, 64 << 10}));
  ProvisionV1(bed);
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();
  bed.agent->Boot();
  bed.agent->Confirm();
  // A second agent over the same image (a restart) sees the same state.
  ImageFileStorage reopened(bed.dir + "/device.img", DeviceLayout{64 << 10, 64 << 10});
  UpdateAgent agent(reopened, "wpm-r2");
  EXPECT_EQ(agent.Running()->info.model_version, "2.0.0");
  EXPECT_EQ(agent.Status().counter, 2);
  EXPECT_TRUE(agent.log().Verify().ok);
}

TEST(UpdateEndToEndTest, RootKeyRotation) {
  UpdateTestbed bed;
  ProvisionV1(bed);
  // Root v2 replaces the root and targets keys; signed by the old and the new root key.
  PrivateKey new_root = PrivateKey::Generate(KeyScheme::kEcdsaP256);
  PrivateKey new_targets = PrivateKey::Generate(KeyScheme::kRsaPss);
  bed.repo.WriteRoot({{"root", {{new_root.Public()}, 1}}, {"targets", {{new_targets.Public()}, 1}}},
                     DaysFromNow(365));
  bed.repo.Sign("root", bed.root_key);
  bed.repo.Sign("root", new_root);
  bed.targets_key = new_targets;
  bed.Publish({.version = "2.0.0", .release_counter = 2});
  bed.Install();
  EXPECT_EQ(bed.agent->Boot().running->info.model_version, "2.0.0");
  // A root v3 signed only by the retired root key is refused.
  bed.repo.WriteRoot({}, DaysFromNow(365));
  bed.repo.Sign("root", bed.root_key);
  bed.agent->Confirm();
  bed.Publish({.version = "3.0.0", .release_counter = 3});
  try {
    bed.Install();
    FAIL() << "root v3 signed by the retired key was accepted";
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "root v3 (by the trusted root keys): signed by 0 of the 1 keys required"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace vigil::ota
