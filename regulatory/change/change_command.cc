// `vigil change new | approve | show | check`: the change-control register of model updates.
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/build_info.h"
#include "host/command_line.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"
#include "regulatory/change/change_register.h"
#include "regulatory/regulatory_commands.h"
#include "regulatory/sbom/model_card.h"

namespace vigil {
namespace {

using regulatory::ChangeRecord;
using regulatory::ChangeRegister;
const char* kRegister = "docs/regulatory/changes";
const char* kApprovers = "docs/regulatory/approvers.json";
const char* kAuthority = "docs/regulatory/change-control-authority.pub";

// --approvers and --authority: the signed approvers list and the pinned key it must verify under.
struct ApproverFiles {
  std::string list = kApprovers, authority = kAuthority;
  void AddOptions(CommandLine& cli) {
    cli.Option("", "--approvers", &list, "FILE",
               std::string("the signed approvers list (default: ") + kApprovers + ")");
    cli.Option(
        "", "--authority", &authority, "PEM",
        std::string("the change-control authority's public key (default: ") + kAuthority + ")");
  }
  regulatory::ApproverList Load() const {
    if (!std::filesystem::exists(authority)) {
      throw HostError(authority +
                      ": no change-control authority key is pinned, so no approver can be "
                      "trusted (docs/regulatory-change-control.md, \"Approvers\")");
    }
    return regulatory::LoadApproverList(list, authority);
  }
};

std::string Measured(const regulatory::AcceptanceCriterion& c) {
  if (!c.measured) return "nothing";
  char text[32];
  std::snprintf(text, sizeof(text), "%g", *c.measured);
  return text;
}

nlohmann::json DataSets(const std::vector<regulatory::DataSetRef>& sets) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : sets) {
    out.push_back({{"name", d.name},
                   {"source_url", d.source_url},
                   {"license", d.license},
                   {"sha256_manifest", d.sha256_manifest}});
  }
  return out;
}

int NewCommand(int argc, char** argv) {
  CommandLine cli("vigil change new",
                  "Record a change to a model, with its protocol and acceptance criteria.");
  std::string register_dir = kRegister, model_dir, evidence_dir = "docs/evidence";
  ChangeRecord r;
  std::vector<std::string> criteria;
  cli.Option("", "--title", &r.title, "TEXT", "one line naming the change");
  cli.Option("", "--model", &model_dir, "DIR", "the modified model's folder, with model_card.json");
  cli.Option("", "--modification", &r.modification, "TEXT", "what changes and why");
  cli.Option("", "--impact", &r.impact, "TEXT",
             "impact assessment: effect on safety, performance, users");
  cli.Repeated("", "--requirement", &r.requirements, "ID", "an affected requirement");
  cli.Repeated("", "--hazard", &r.hazards, "ID", "an affected hazard");
  cli.Repeated("", "--criterion", &criteria, "SPEC",
               "a pre-specified acceptance criterion, EVIDENCE:/json/pointer>=NUMBER");
  cli.Repeated("", "--role", &r.required_roles, "ROLE",
               "a role that must approve (default: quality, clinical)");
  cli.Option("", "--author", &r.author, "NAME", "who records the change");
  cli.Option("", "--evidence", &evidence_dir, "DIR",
             "evidence files the criteria read (default: docs/evidence)");
  cli.Option("", "--register", &register_dir, "DIR",
             std::string("the change register (default: ") + kRegister + ")");
  if (auto code = cli.Parse(argc, argv)) return *code;
  for (const char* required : {"--title", "--model", "--modification", "--impact", "--author"}) {
    if (!cli.Given(required)) {
      std::fprintf(stderr, "vigil change new: %s is required\n(see 'vigil change new --help')\n",
                   required);
      return 2;
    }
  }
  if (criteria.empty()) {
    std::fprintf(
        stderr,
        "vigil change new: give at least one --criterion (the protocol's acceptance criteria)\n");
    return 2;
  }
  if (r.required_roles.empty()) r.required_roles = {"quality", "clinical"};
  regulatory::ModelCard card =
      regulatory::ReadModelCard(model_dir + "/model_card.json");  // checks hashes
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : card.files)
    files.push_back({{"path", f.path}, {"sha256", f.sha256}});
  r.model = {{"name", card.name}, {"version", card.version}, {"dir", model_dir}, {"files", files}};
  r.protocol = {{"data",
                 {{"training", DataSets(card.data["training"])},
                  {"calibration", DataSets(card.data["calibration"])},
                  {"validation", DataSets(card.data["validation"])}}},
                {"retraining", {{"command", card.training_command}, {"seed", card.seed}}}};
  for (const std::string& c : criteria) {
    r.criteria.push_back(regulatory::ParseCriterion(c));
    regulatory::Measure(r.criteria.back(), evidence_dir);
    if (!r.criteria.back().measured) {
      throw HostError("acceptance criterion '" + c + "' names no measured value: " + evidence_dir +
                      "/" + r.criteria.back().evidence + ".json has no number at " +
                      r.criteria.back().pointer + " (nothing recorded)");
    }
  }
  r.created_at = CurrentBuildInfo().generated_at;
  std::string id = ChangeRegister(register_dir).Create(r, std::stoi(r.created_at.substr(0, 4)));
  std::printf("%s\n", id.c_str());
  for (const auto& c : r.criteria) {
    std::fprintf(stderr, "  %s: %s (measured %s)\n", c.text.c_str(), c.met ? "met" : "NOT met",
                 Measured(c).c_str());
  }
  return 0;
}

int ApproveCommand(int argc, char** argv) {
  CommandLine cli("vigil change approve",
                  "Sign a change's approval for one role with a private key.");
  std::string register_dir = kRegister, id, key, name, role;
  ApproverFiles approver_files;
  cli.Positional("ID", &id, "the change, CC-YYYY-NNN");
  cli.Option("", "--key", &key, "PEM",
             "the approver's private key (openssl genpkey -algorithm ed25519)");
  cli.Option("", "--name", &name, "NAME", "the approver");
  cli.Option("", "--role", &role, "ROLE", "the role approved for, e.g. quality");
  cli.Option("", "--register", &register_dir, "DIR", "the change register");
  approver_files.AddOptions(cli);
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (key.empty() || name.empty() || role.empty()) {
    std::fprintf(stderr, "vigil change approve: --key, --name and --role are required\n");
    return 2;
  }
  regulatory::ApproverList approvers = approver_files.Load();
  ChangeRegister reg(register_dir);
  ChangeRecord r = reg.Load(id);
  regulatory::ChangeStatus status = regulatory::Evaluate(r, approvers);
  if (!status.invalid_approvals.empty())
    throw HostError(id + ": a signature no longer verifies; the record was altered");
  if (!status.unmet_criteria.empty()) {
    throw HostError(id + ": acceptance criterion not met: " + status.unmet_criteria.front() +
                    "; it cannot be approved");
  }
  for (const auto& a : r.approvals) {
    if (a.role == role)
      throw HostError(id + ": already approved for role " + role + " by " + a.name);
  }
  regulatory::CheckModelUnchanged(r);
  regulatory::Approve(r, key, name, role, CurrentBuildInfo().generated_at, approvers);
  reg.Save(r);
  std::printf("%s: approved for %s by %s; now %s\n", id.c_str(), role.c_str(), name.c_str(),
              regulatory::Evaluate(r, approvers).state.c_str());
  return 0;
}

int ShowCommand(int argc, char** argv) {
  CommandLine cli("vigil change show", "Show a change and verify every approval's signature.");
  std::string register_dir = kRegister, id, model_file;
  ApproverFiles approver_files;
  bool json = false;
  cli.Positional("ID", &id, "the change, CC-YYYY-NNN (as an update package names it)");
  cli.Option("", "--model-file", &model_file, "FILE",
             "also check that the change is approved and covers this file (exit 1 if not)");
  cli.Option("", "--register", &register_dir, "DIR", "the change register");
  cli.Flag("", "--json", &json, "print the record and its status as JSON");
  approver_files.AddOptions(cli);
  if (auto code = cli.Parse(argc, argv)) return *code;
  regulatory::ApproverList approvers = approver_files.Load();
  ChangeRecord r = ChangeRegister(register_dir).Load(id);
  regulatory::ChangeStatus status = regulatory::Evaluate(r, approvers);
  if (json) {
    nlohmann::json j = regulatory::ToJson(r);
    j["status"] = status.state;
    j["content_sha256"] = regulatory::ContentDigest(r);
    for (auto& a : j["approvals"]) {
      a["signature_valid"] = regulatory::VerifyApproval(
          r, {a["role"], a["name"], a["at"], a["public_key"], a["signature"]});
      a["on_approvers_list"] = approvers.Allows(a["name"], a["role"], a["public_key"]);
    }
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s  %s\nstatus: %s\nmodel: %s %s\n", r.id.c_str(), r.title.c_str(),
                status.state.c_str(), r.model.value("name", "").c_str(),
                r.model.value("version", "").c_str());
    for (const auto& f : r.model["files"]) {
      std::printf("  %s sha256:%s\n", f.value("path", "").c_str(), f.value("sha256", "").c_str());
    }
    std::printf("modification: %s\nimpact: %s\nacceptance criteria:\n", r.modification.c_str(),
                r.impact.c_str());
    for (const auto& c : r.criteria) {
      std::printf("  %-40s %s (measured %s at commit %s, %s)\n", c.text.c_str(),
                  c.met ? "met" : "NOT met", Measured(c).c_str(), c.evidence_commit.c_str(),
                  c.evidence_date.c_str());
    }
    std::printf("approvals (required: ");
    for (size_t i = 0; i < r.required_roles.size(); ++i)
      std::printf("%s%s", i ? ", " : "", r.required_roles[i].c_str());
    std::printf("):\n");
    for (const auto& a : r.approvals) {
      std::printf("  %-10s %-24s %s  key %.16s  signature %s, %s\n", a.role.c_str(), a.name.c_str(),
                  a.at.c_str(), regulatory::KeyFingerprint(a.public_key_pem).c_str(),
                  regulatory::VerifyApproval(r, a) ? "valid" : "INVALID",
                  approvers.Allows(a.name, a.role, a.public_key_pem) ? "listed approver"
                                                                     : "NOT on the approvers list");
    }
  }
  if (!model_file.empty()) {
    regulatory::CheckApprovedChange(r, model_file, approvers);
    std::printf("%s: approved by %s\n", model_file.c_str(), r.id.c_str());
  }
  return status.invalid_approvals.empty() && status.unlisted_approvals.empty() ? 0 : 1;
}

int SignApproversCommand(int argc, char** argv) {
  CommandLine cli(
      "vigil change sign-approvers",
      "Sign the list of who may approve changes with the change-control authority's key.");
  std::string list, key, output = kApprovers;
  cli.Positional(
      "LIST", &list,
      "unsigned list: {\"version\": N, \"approvers\": [{name, role, public_key (PEM)}]}");
  cli.Option("", "--key", &key, "PEM", "the change-control authority's private key");
  cli.Option("-o", "--output", &output, "FILE",
             std::string("the signed list (default: ") + kApprovers + ")");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (key.empty()) {
    std::fprintf(stderr, "vigil change sign-approvers: --key is required\n");
    return 2;
  }
  nlohmann::json signed_list =
      regulatory::SignApproverList(ota::ParseJson(ReadFileText(list), list), key);
  WriteFileAtomic(output, signed_list.dump(2) + "\n");
  std::printf("%s: %zu approvers, version %d, signed by key %s\n", output.c_str(),
              signed_list["signed"]["approvers"].size(),
              signed_list["signed"]["version"].get<int>(),
              signed_list["signatures"][0]["keyid"].get<std::string>().substr(0, 16).c_str());
  return 0;
}

}  // namespace

int RunChangeCommand(int argc, char** argv) {
  return DispatchSubcommand(
      "vigil change",
      {{"new", "record a change: modification, protocol, criteria, impact", NewCommand},
       {"approve", "sign the approval of a change for one role", ApproveCommand},
       {"show", "show a change, verify its approvals, or check a model file against it",
        ShowCommand},
       {"sign-approvers", "sign the list of who may approve, with the authority's key",
        SignApproversCommand}},
      argc, argv);
}

}  // namespace vigil
