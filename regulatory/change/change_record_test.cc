// Change control end to end: records in a register, criteria read from evidence, approvals signed
// with keys the openssl tool made and checked again by the openssl tool, tampering detected, and
// the `vigil change` commands' exit codes.
#include "regulatory/change/change_register.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <tuple>

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
    for (const char* key : {"authority", "stranger"}) {
      ASSERT_EQ(RunShellCommand("openssl genpkey -algorithm ed25519 -out " + dir_ + "/" + key +
                                ".pem && openssl pkey -in " + dir_ + "/" + key +
                                ".pem -pubout -out " + dir_ + "/" + key + ".pub")
                    .exit_status,
                0);
    }
    // Who may approve: Q. Lead for quality (Ed25519), Dr C. Lin for clinical (ECDSA P-256),
    // signed by the change-control authority.
    WriteFileAtomic(
        dir_ + "/approvers.json",
        SignApproverList(
            {{"version", 1},
             {"approvers",
              {{{"name", "Q. Lead"}, {"role", "quality"}, {"public_key", PublicPem("quality")}},
               {{"name", "Dr C. Lin"}, {"role", "clinical"}, {"public_key", PublicPem("ec")}}}}},
            dir_ + "/authority.pem")
            .dump(2));
    approvers_ = LoadApproverList(dir_ + "/approvers.json", dir_ + "/authority.pub");
  }
  std::string PublicPem(const std::string& key) {
    return RunShellCommand("openssl pkey -in " + dir_ + "/" + key + ".pem -pubout").output;
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
  ApproverList approvers_;
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
  EXPECT_EQ(Evaluate(r, approvers_).state, "pending approval");
  Approve(r, dir_ + "/quality.pem", "Q. Lead", "quality", "2026-02-02T09:00:00Z", approvers_);
  EXPECT_EQ(Evaluate(r, approvers_).state, "pending approval");
  EXPECT_EQ(Evaluate(r, approvers_).missing_roles, (std::vector<std::string>{"clinical"}));
  Approve(r, dir_ + "/ec.pem", "Dr C. Lin", "clinical", "2026-02-02T10:00:00Z",
          approvers_);  // ECDSA P-256 works too
  EXPECT_EQ(Evaluate(r, approvers_).state, "approved");
  CheckApprovedChange(r, dir_ + "/model/model.vgl", approvers_);
  WriteFileAtomic(dir_ + "/other.vgl", std::string("another model"));
  EXPECT_THROW(CheckApprovedChange(r, dir_ + "/other.vgl", approvers_), HostError);
  // Against a list that no longer holds Dr C. Lin, the clinical signature counts for nothing.
  ApproverList without_clinical = approvers_;
  without_clinical.approvers.pop_back();
  EXPECT_EQ(Evaluate(r, without_clinical).state, "unlisted approver");
  EXPECT_EQ(Evaluate(r, without_clinical).missing_roles, (std::vector<std::string>{"clinical"}));
  EXPECT_THROW(CheckApprovedChange(r, dir_ + "/model/model.vgl", without_clinical), HostError);
}

TEST_F(ChangeControl, OpensslVerifiesTheSignatureAndAnyEditBreaksIt) {
  ChangeRecord r = Draft("ecg_eval_ds2:/classes/V/se>=0.90");
  r.id = "CC-2026-001";
  Approve(r, dir_ + "/quality.pem", "Q. Lead", "quality", "2026-02-02T09:00:00Z", approvers_);
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
  EXPECT_EQ(Evaluate(r, approvers_).state, "invalid signature");
  // The record survives a round trip through its file.
  r.impact = Draft("ecg_eval_ds2:/classes/V/se>=0.90").impact;
  EXPECT_TRUE(VerifyApproval(FromJson(ToJson(r), "r"), r.approvals[0]));
}

// Only the keys, names and roles on the authority's signed list can approve (issue 13).
TEST_F(ChangeControl, ApproveAcceptsOnlyListedKeyNameAndRole) {
  ChangeRecord r = Draft("ecg_eval_ds2:/classes/V/se>=0.90");
  r.id = "CC-2026-001";
  auto refusal = [&](const std::string& key, const std::string& name, const std::string& role) {
    try {
      Approve(r, dir_ + "/" + key + ".pem", name, role, "2026-02-02T09:00:00Z", approvers_);
    } catch (const HostError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refusal("stranger", "Q. Lead", "quality").find("is not on the signed approvers list"),
            std::string::npos);
  EXPECT_NE(refusal("quality", "Mallory", "quality").find("belongs to Q. Lead, not Mallory"),
            std::string::npos);
  EXPECT_NE(refusal("quality", "Q. Lead", "clinical").find("not an approver for role clinical"),
            std::string::npos);
  EXPECT_TRUE(r.approvals.empty());
  EXPECT_EQ(refusal("quality", "Q. Lead", "quality"), "accepted");
}

TEST_F(ChangeControl, TheApproversListMustVerifyUnderThePinnedKey) {
  nlohmann::json list = nlohmann::json::parse(ReadFileText(dir_ + "/approvers.json"));
  // A stranger added to the signed part: the authority's signature no longer covers it.
  nlohmann::json tampered = list;
  tampered["signed"]["approvers"].push_back(
      {{"name", "Mallory"}, {"role", "quality"}, {"public_key", PublicPem("stranger")}});
  WriteFileAtomic(dir_ + "/tampered.json", tampered.dump());
  EXPECT_THROW(LoadApproverList(dir_ + "/tampered.json", dir_ + "/authority.pub"), HostError);
  // A list signed by another key than the pinned one.
  WriteFileAtomic(dir_ + "/self_signed.json",
                  SignApproverList(tampered["signed"], dir_ + "/stranger.pem").dump());
  try {
    LoadApproverList(dir_ + "/self_signed.json", dir_ + "/authority.pub");
    ADD_FAILURE() << "a list signed by another key was accepted";
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("not signed by the change-control authority"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(LoadApproverList(dir_ + "/approvers.json", dir_ + "/authority.pub").approvers.size(),
            2u);
}

// Without a pinned authority key there is no one to trust: `approve` refuses (it used to accept
// any key for any name and role).
TEST_F(ChangeControl, ApproveRefusesWithoutAPinnedAuthority) {
  std::string vigil = Env("VIGIL_BINARY_DIR", "build") + "/bin/vigil";
  std::string reg = " --register " + dir_ + "/register";
  ShellResult created =
      RunShellCommand(vigil + " change new --title T --model " + dir_ +
                      "/model --modification M --impact I" + " --author A --evidence " + dir_ +
                      "/evidence" + reg + " --criterion 'ecg_eval_ds2:/classes/V/se>=0.90'");
  ASSERT_EQ(created.exit_status, 0) << created.output;
  std::string id = created.output.substr(0, created.output.find('\n'));
  // (RunShellCommand sends stderr to /dev/null; the subshell hands it to stdout first.)
  ShellResult approved =
      RunShellCommand("(cd " + dir_ + " && " + vigil + " change approve " + id +
                      " --key stranger.pem --name 'Q. Lead' --role quality" + reg + " 2>&1)");
  EXPECT_EQ(approved.exit_status, 1) << approved.output;
  EXPECT_NE(approved.output.find("no change-control authority key is pinned"), std::string::npos)
      << approved.output;
  EXPECT_TRUE(ChangeRegister(dir_ + "/register").Load(id).approvals.empty());
}

// A criterion must name a value the evidence records: "NOT met (measured nothing)" is a typo or a
// missing evidence file, not a result.
TEST_F(ChangeControl, NewRefusesACriterionThatMeasuresNothing) {
  std::string vigil = Env("VIGIL_BINARY_DIR", "build") + "/bin/vigil";
  std::string make = vigil + " change new --title T --model " + dir_ +
                     "/model --modification M --impact I --author A --evidence " + dir_ +
                     "/evidence --register " + dir_ + "/register";
  for (const char* criterion :
       {"ecg_eval_ds2:/classes/V/sens>=0.90", "seg_eval_testA:/dice>=0.8"}) {
    ShellResult r = RunShellCommand("(" + make + " --criterion 'ecg_eval_ds2:/classes/V/se>=0.90'" +
                                    " --criterion '" + criterion + "' 2>&1)");
    EXPECT_EQ(r.exit_status, 1) << r.output;
    EXPECT_NE(r.output.find(std::string("acceptance criterion '") + criterion +
                            "' names no measured value"),
              std::string::npos)
        << r.output;
  }
  EXPECT_FALSE(fs::exists(dir_ + "/register") && !fs::is_empty(dir_ + "/register"));
}

TEST_F(ChangeControl, CommandsRecordApproveAndShow) {
  std::string vigil = Env("VIGIL_BINARY_DIR", "build") + "/bin/vigil";
  std::string reg = " --register " + dir_ + "/register";
  std::string trust =
      " --approvers " + dir_ + "/approvers.json --authority " + dir_ + "/authority.pub";
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
                            "/quality.pem --name 'Q. Lead' --role quality" + reg + trust)
                .exit_status,
            1);
  EXPECT_TRUE(ChangeRegister(dir_ + "/register").Load(id).approvals.empty());
  ShellResult ok = RunShellCommand(make + " --criterion 'ecg_eval_ds2:/classes/V/se>=0.90'");
  std::string good = ok.output.substr(0, ok.output.find('\n'));
  // A key that is not on the list is refused, and the record stays unsigned.
  EXPECT_EQ(RunShellCommand(vigil + " change approve " + good + " --key " + dir_ +
                            "/stranger.pem --name 'Q. Lead' --role quality" + reg + trust)
                .exit_status,
            1);
  EXPECT_TRUE(ChangeRegister(dir_ + "/register").Load(good).approvals.empty());
  for (auto [key, name, role] :
       {std::tuple{"quality", "Q. Lead", "quality"}, std::tuple{"ec", "Dr C. Lin", "clinical"}}) {
    EXPECT_EQ(RunShellCommand(vigil + " change approve " + good + " --key " + dir_ + "/" + key +
                              ".pem --name '" + name + "' --role " + role + reg + trust)
                  .exit_status,
              0);
  }
  ShellResult shown = RunShellCommand(vigil + " change show " + good + " --model-file " + dir_ +
                                      "/model/model.vgl" + reg + trust);
  EXPECT_EQ(shown.exit_status, 0);
  EXPECT_NE(shown.output.find("status: approved"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("signature valid, listed approver"), std::string::npos)
      << shown.output;
}

}  // namespace
}  // namespace vigil::regulatory
