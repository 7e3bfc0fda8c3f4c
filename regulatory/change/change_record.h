// Change control for model updates, after FDA's Predetermined Change Control Plan (PCCP) guidance:
// each change is a record CC-YYYY-NNN in a register folder (one JSON file per change) holding the
// modification, the modification protocol followed (data, re-training, performance evaluation
// against acceptance criteria fixed in advance), the impact assessment, and signed approvals.
//
// An approval signs (OpenSSL, the approver's private key: Ed25519, or ECDSA/RSA over SHA-256) the
// record's ID, the approver's role, name and time, and the SHA-256 of the record's content; any
// later edit of the content breaks every signature. Only approvers on the signed approvers list
// (approver_list.h) may sign, and only their signatures count. An update package carries the change-control
// ID, so a device can show which approved change it runs (docs/regulatory-change-control.md).
//
//   ChangeRegister reg("docs/regulatory/changes");
//   ChangeRecord r = reg.Load("CC-2026-001");
//   ChangeStatus s = Evaluate(r, approvers);      // approved only with every required role signed
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "regulatory/change/approver_list.h"

namespace vigil::regulatory {

bool IsChangeControlId(std::string_view text);  // "CC-" 4-digit year "-" 3+ digits

// "ecg_eval_ds2_int8:/veb/se>=85": evidence file stem, JSON pointer, comparison, threshold.
struct AcceptanceCriterion {
  std::string text, evidence, pointer, op;
  double threshold = 0;
  std::optional<double> measured;  // read from docs/evidence/<evidence>.json
  std::string evidence_commit, evidence_date;
  bool met = false;
};
AcceptanceCriterion ParseCriterion(const std::string& text);  // throws HostError naming the problem
// Reads the measured value from evidence_dir and decides whether it meets the threshold.
void Measure(AcceptanceCriterion& criterion, const std::string& evidence_dir);

struct Approval {
  std::string role, name, at;  // `at`: UTC, ISO 8601
  std::string public_key_pem, signature_base64;
};

struct ChangeRecord {
  std::string id, title, author, created_at;
  std::string modification;  // what changes and why
  nlohmann::json model;      // {name, version, dir, files: [{path, sha256}]}
  nlohmann::json
      protocol;  // {data: {training, calibration, validation}, retraining: {command, seed}}
  std::vector<AcceptanceCriterion> criteria;       // the performance evaluation
  std::string impact;                              // impact assessment
  std::vector<std::string> requirements, hazards;  // affected requirement and hazard IDs
  std::vector<std::string> required_roles;         // who must approve
  std::vector<Approval> approvals;
};

nlohmann::json ToJson(const ChangeRecord& record);
ChangeRecord FromJson(const nlohmann::json& j, const std::string& name_for_errors);

// SHA-256 (hex) of the canonical JSON of everything but the approvals: what approvals sign.
std::string ContentDigest(const ChangeRecord& record);

// The exact bytes an approval signs, so anyone can check a signature with other tools:
// "vigil-change-approval-v1\n" ID "\n" role "\n" name "\n" at "\n" ContentDigest.
std::string ApprovalMessage(const ChangeRecord& record, const Approval& approval);

// Signs for `role` with the PEM private key at key_path and appends the approval. Throws HostError
// (nothing appended) unless the key, name and role are on the verified approvers list.
void Approve(ChangeRecord& record, const std::string& key_path, const std::string& name,
             const std::string& role, const std::string& at, const ApproverList& approvers);
// Whether an approval's signature verifies against its public key and the record's content now.
bool VerifyApproval(const ChangeRecord& record, const Approval& approval);
// SHA-256 (hex) of the DER public key: how a key is named in reports and trust lists.
std::string KeyFingerprint(const std::string& public_key_pem);

struct ChangeStatus {
  // "approved", "pending approval", "criteria not met", "unlisted approver", "invalid signature"
  std::string state;
  std::vector<std::string> missing_roles, unmet_criteria, invalid_approvals;
  std::vector<std::string> unlisted_approvals;  // valid signatures by keys the list does not hold
};
// A role counts as signed only by a valid signature from an approver the list holds for that role.
ChangeStatus Evaluate(const ChangeRecord& record, const ApproverList& approvers);

}  // namespace vigil::regulatory
