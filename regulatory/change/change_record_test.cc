// Change control end to end: records in a register, criteria read from evidence, approvals signed
// with keys the openssl tool made and checked again by the openssl tool, tampering detected, and
// the `vigil change` commands' exit codes.
#include "regulatory/change/change_register.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/error.h"
#include "regulatory/shell/shell_command.h"

namespace vigil::regulatory {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

class ChangeControl : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vigil_change_XXXXXX";
    dir_ = mkdtemp(pattern);
    fs::copy(Env("VIGIL_SOURCE_DIR", ".") + "/regulatory/sbom/testdata/models/demo_ecg",
             dir_ + "/model");
    fs::create_directories(dir_ + "/evidence");
    WriteFileAtomic(
        dir_ + "/evidence/ecg_eval_ds2.json",
        std::string(
            R"({"commit": "abc1234", "date": "2026-01-15T10:00:00Z", "command": "vigil ecg eval",
                                    "classes": {"V": {"se": 0.93, "ppv": 0.91}}})"));
    for (const char* who : {"quality", "clinical"}) {
      ASSERT_EQ(
          RunShellCommand("openssl genpkey -algorithm ed25519 -out " + dir_ + "/" + who + ".pem")
              .exit_status,
          0);
    }
    ASSERT_EQ(
        RunShellCommand("openssl ecparam -name prime256v1 -genkey -noout -out " + dir_ + "/ec.pem")
            .exit_status,
        0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ChangeRecord Draft(const std::string& criterion) {
    ChangeRecord r;
    r.title = "Retrain the ECG model on more S beats";
    r.author = "A. Engineer";
    r.created_at = "2026-02-01T12:00:00Z";
    r.modification = "New training run with class-balanced sampling";
    r.model = {
        {"name", "demo_ecg"},
        {"version", "1.2.0"},
        {"dir", dir_ + "/model"},
        {"files", {{{"path", "model.vgl"}, {"sha256", Sha256Sum(dir_ + "/model/model.vgl")}}}}};
    r.protocol = {{"data", {{"training", nlohmann::json::array()}}},
                  {"retraining", {{"command", "train.py"}}}};
    r.criteria.push_back(ParseCriterion(criterion));
    Measure(r.criteria.back(), dir_ + "/evidence");
    r.impact = "Changes S/V decisions; no change to alarms";
    r.required_roles = {"quality", "clinical"};
    return r;
  }
  static std::string Sha256Sum(const std::string& path) {
    return RunShellCommand("sha256sum " + ShellQuote(path)).output.substr(0, 64);
  }

  std::string dir_;
};

TEST_F(ChangeControl, HandsOutIdsInOrderAndNeverReusesOne) {
  ChangeRegister reg(dir_ + "/register");
  ChangeRecord a = Draft("ecg_eval_ds2:/classes/V/se>=0.90"), b = a;
  EXPECT_EQ(reg.Create(a, 2026), "CC-2026-001");
  EXPECT_EQ(reg.Create(b, 2026), "CC-2026-002");
  EXPECT_EQ(reg.Load("CC-2026-002").title, b.title);
  EXPECT_THROW(reg.Load("CC-2026-003"), HostError);
  EXPECT_THROW(reg.Load("CC-26-1"), HostError);
  EXPECT_TRUE(IsChangeControlId("CC-2026-017"));
  EXPECT_FALSE(IsChangeControlId("CC-2026-1"));
}

TEST_F(ChangeControl, ReadsAcceptanceCriteriaFromEvidence) {
  AcceptanceCriterion met = Draft("ecg_eval_ds2:/classes/V/se>=0.90").criteria[0];
  EXPECT_TRUE(met.met);
  EXPECT_DOUBLE_EQ(*met.measured, 0.93);
  EXPECT_EQ(met.evidence_commit, "abc1234");
  EXPECT_FALSE(Draft("ecg_eval_ds2:/classes/V/ppv>0.95").criteria[0].met);
  AcceptanceCriterion missing = Draft("seg_eval_testA:/dice>=0.8").criteria[0];
  EXPECT_FALSE(missing.met);
  EXPECT_FALSE(missing.measured.has_value());
  EXPECT_THROW(ParseCriterion("dice is good"), HostError);
}

TEST_F(ChangeControl, IsApprovedOnceEveryRequiredRoleSigned) {
  ChangeRecord r = Draft("ecg_eval_ds2:/classes/V/se>=0.90");
  ChangeRegister(dir_ + "/register").Create(r, 2026);
  EXPECT_EQ(Evaluate(r).state, "pending approval");
  Approve(r, dir_ + "/quality.pem", "Q. Lead", "quality", "2026-02-02T09:00:00Z");
  EXPECT_EQ(Evaluate(r).state, "pending approval");
  EXPECT_EQ(Evaluate(r).missing_roles, (std::vector<std::string>{"clinical"}));
  Approve(r, dir_ + "/ec.pem", "Dr C. Lin", "clinical",
          "2026-02-02T10:00:00Z");  // ECDSA P-256 works too
  EXPECT_EQ(Evaluate(r).state, "approved");
  CheckApprovedChange(r, dir_ + "/model/model.vgl");
  WriteFileAtomic(dir_ + "/other.vgl", std::string("another model"));
  EXPECT_THROW(CheckApprovedChange(r, dir_ + "/other.vgl"), HostError);
}

TEST_F(ChangeControl, OpensslVerifiesTheSignatureAndAnyEditBreaksIt) {
  ChangeRecord r = Draft("ecg_eval_ds2:/classes/V/se>=0.90");
  r.id = "CC-2026-001";
  Approve(r, dir_ + "/quality.pem", "Q. Lead", "quality", "2026-02-02T09:00:00Z");
  const Approval& a = r.approvals[0];
  WriteFileAtomic(dir_ + "/message", ApprovalMessage(r, a));
  WriteFileAtomic(dir_ + "/pub.pem", a.public_key_pem);
  WriteFileAtomic(dir_ + "/sig.b64", a.signature_base64 + "\n");
  std::string verify = "base64 -d " + dir_ + "/sig.b64 > " + dir_ +
                       "/sig && openssl pkeyutl -verify -pubin -inkey " + dir_ +
                       "/pub.pem -rawin -in " + dir_ + "/message -sigfile " + dir_ + "/sig";
  EXPECT_EQ(RunShellCommand(verify).exit_status, 0);
  EXPECT_TRUE(VerifyApproval(r, a));
  r.impact += " (edited after approval)";
  EXPECT_FALSE(VerifyApproval(r, r.approvals[0]));
  EXPECT_EQ(Evaluate(r).state, "invalid signature");
  // The record survives a round trip through its file.
  r.impact = Draft("ecg_eval_ds2:/classes/V/se>=0.90").impact;
  EXPECT_TRUE(VerifyApproval(FromJson(ToJson(r), "r"), r.approvals[0]));
}

TEST_F(ChangeControl, CommandsRecordApproveAndShow) {
  std::string vigil = Env("VIGIL_BINARY_DIR", "build") + "/bin/vigil";
  std::string reg = " --register " + dir_ + "/register";
  std::string make = vigil + " change new --title T --model " + dir_ +
                     "/model --modification M --impact I" + " --author A --evidence " + dir_ +
                     "/evidence" + reg;
  EXPECT_EQ(RunShellCommand(make).exit_status, 2);  // no acceptance criterion
  ShellResult created = RunShellCommand(make + " --criterion 'ecg_eval_ds2:/classes/V/ppv>=0.95'");
  ASSERT_EQ(created.exit_status, 0);
  std::string id = created.output.substr(0, created.output.find('\n'));
  ASSERT_TRUE(IsChangeControlId(id)) << id;
  // The criterion is not met (0.91 < 0.95): approving must fail and leave the record unsigned.
  EXPECT_EQ(RunShellCommand(vigil + " change approve " + id + " --key " + dir_ +
                            "/quality.pem --name Q --role quality" + reg)
                .exit_status,
            1);
  EXPECT_TRUE(ChangeRegister(dir_ + "/register").Load(id).approvals.empty());
  ShellResult ok = RunShellCommand(make + " --criterion 'ecg_eval_ds2:/classes/V/se>=0.90'");
  std::string good = ok.output.substr(0, ok.output.find('\n'));
  for (const char* role : {"quality", "clinical"}) {
    EXPECT_EQ(RunShellCommand(vigil + " change approve " + good + " --key " + dir_ + "/" + role +
                              ".pem --name N --role " + role + reg)
                  .exit_status,
              0);
  }
  ShellResult shown = RunShellCommand(vigil + " change show " + good + " --model-file " + dir_ +
                                      "/model/model.vgl" + reg);
  EXPECT_EQ(shown.exit_status, 0);
  EXPECT_NE(shown.output.find("status: approved"), std::string::npos) << shown.output;
}

}  // namespace
}  // namespace vigil::regulatory
