#include "regulatory/change/change_record.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <regex>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"
#include "host/html_report.h"
#include "ota/package/signing_key.h"
#include "regulatory/evidence/evidence_file.h"

namespace vigil::regulatory {
namespace {

using nlohmann::json;
using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::vector<uint8_t> Base64Decode(const std::string& text) {
  std::vector<uint8_t> out(text.size() / 4 * 3 + 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return {};
  size_t padding =
      text.size() >= 2 ? (text[text.size() - 1] == '=') + (text[text.size() - 2] == '=') : 0;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

json CriterionJson(const AcceptanceCriterion& c) {
  json j = {{"criterion", c.text},
            {"met", c.met},
            {"evidence_commit", c.evidence_commit},
            {"evidence_date", c.evidence_date}};
  j["measured"] = c.measured ? json(*c.measured) : json(nullptr);
  return j;
}

}  // namespace

bool IsChangeControlId(std::string_view text) {
  static const std::regex pattern("CC-[0-9]{4}-[0-9]{3,}");
  return std::regex_match(text.begin(), text.end(), pattern);
}

AcceptanceCriterion ParseCriterion(const std::string& text) {
  static const std::regex pattern(
      R"(([A-Za-z0-9_.-]+):(/[^<>=!]*)(>=|<=|==|>|<)\s*(-?[0-9.eE+-]+))");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) {
    throw HostError("acceptance criterion '" + text +
                    "' is not EVIDENCE:/json/pointer OP NUMBER "
                    "(e.g. ecg_eval_ds2_int8:/veb/se>=85)");
  }
  AcceptanceCriterion c;
  c.text = text;
  c.evidence = m[1];
  c.pointer = m[2];
  c.op = m[3];
  try {
    c.threshold = std::stod(m[4]);
  } catch (const std::exception&) {
    throw HostError("acceptance criterion '" + text + "': '" + std::string(m[4]) +
                    "' is not a number");
  }
  return c;
}

void Measure(AcceptanceCriterion& c, const std::string& evidence_dir) {
  c.measured.reset();
  c.met = false;
  Evidence e = ReadEvidence(evidence_dir + "/" + c.evidence + ".json");
  c.evidence_commit = e.commit;
  c.evidence_date = e.date;
  if (!e.problem.empty() || !e.data.is_object()) return;
  json::json_pointer pointer;
  try {
    pointer = json::json_pointer(c.pointer);
  } catch (const json::exception&) {
    return;
  }
  if (!e.data.contains(pointer) || !e.data[pointer].is_number()) return;
  double v = e.data[pointer].get<double>();
  c.measured = v;
  c.met = c.op == ">="   ? v >= c.threshold
          : c.op == "<=" ? v <= c.threshold
          : c.op == ">"  ? v > c.threshold
          : c.op == "<"  ? v < c.threshold
                         : v == c.threshold;
}

json ToJson(const ChangeRecord& r) {
  json criteria = json::array();
  for (const AcceptanceCriterion& c : r.criteria)
    criteria.push_back(CriterionJson(c));
  json approvals = json::array();
  for (const Approval& a : r.approvals) {
    approvals.push_back({{"role", a.role},
                         {"name", a.name},
                         {"at", a.at},
                         {"public_key", a.public_key_pem},
                         {"key_fingerprint", KeyFingerprint(a.public_key_pem)},
                         {"signature", a.signature_base64}});
  }
  return {{"id", r.id},
          {"title", r.title},
          {"author", r.author},
          {"created_at", r.created_at},
          {"modification", r.modification},
          {"model", r.model},
          {"protocol",
           {{"data", r.protocol.value("data", json::object())},
            {"retraining", r.protocol.value("retraining", json::object())},
            {"performance_evaluation", criteria}}},
          {"impact_assessment",
           {{"text", r.impact}, {"requirements", r.requirements}, {"hazards", r.hazards}}},
          {"required_roles", r.required_roles},
          {"approvals", approvals}};
}

ChangeRecord FromJson(const json& j, const std::string& where) {
  ChangeRecord r;
  try {
    r.id = j.at("id");
    r.title = j.at("title");
    r.author = j.at("author");
    r.created_at = j.at("created_at");
    r.modification = j.at("modification");
    r.model = j.at("model");
    r.protocol = {{"data", j.at("protocol").at("data")},
                  {"retraining", j.at("protocol").at("retraining")}};
    for (const json& c : j.at("protocol").at("performance_evaluation")) {
      AcceptanceCriterion parsed = ParseCriterion(c.at("criterion"));
      parsed.met = c.at("met");
      if (c.at("measured").is_number()) parsed.measured = c.at("measured").get<double>();
      parsed.evidence_commit = c.at("evidence_commit");
      parsed.evidence_date = c.at("evidence_date");
      r.criteria.push_back(parsed);
    }
    r.impact = j.at("impact_assessment").at("text");
    r.requirements = j.at("impact_assessment").at("requirements").get<std::vector<std::string>>();
    r.hazards = j.at("impact_assessment").at("hazards").get<std::vector<std::string>>();
    r.required_roles = j.at("required_roles").get<std::vector<std::string>>();
    for (const json& a : j.at("approvals")) {
      r.approvals.push_back(
          {a.at("role"), a.at("name"), a.at("at"), a.at("public_key"), a.at("signature")});
    }
  } catch (const json::exception& e) {
    throw HostError(where + ": not a change record: " + e.what());
  }
  if (!IsChangeControlId(r.id))
    throw HostError(where + ": '" + r.id + "' is not a change-control ID (CC-YYYY-NNN)");
  return r;
}

std::string ContentDigest(const ChangeRecord& r) {
  json content = ToJson(r);
  content.erase("approvals");
  std::string canonical = content.dump();  // nlohmann orders object keys, so this is canonical
  return Sha256Hex({reinterpret_cast<const uint8_t*>(canonical.data()), canonical.size()});
}

std::string ApprovalMessage(const ChangeRecord& r, const Approval& a) {
  return "vigil-change-approval-v1\n" + r.id + "\n" + a.role + "\n" + a.name + "\n" + a.at + "\n" +
         ContentDigest(r);
}

std::string KeyFingerprint(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Key key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (!key) return "";
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key.get(), &der);
  if (n <= 0) return "";
  std::string hex = Sha256Hex({der, static_cast<size_t>(n)});
  OPENSSL_free(der);
  return hex;
}

void Approve(ChangeRecord& r, const std::string& key_path, const std::string& name,
             const std::string& role, const std::string& at, const ApproverList& approvers) {
  // RSA approvals are PKCS#1 v1.5 over SHA-256, what `openssl pkeyutl` checks by default.
  ota::PrivateKey key = ota::PrivateKey::Load(key_path, ota::KeyScheme::kRsaPkcs1v15);
  Approval a{role, name, at, key.Public().Pem(), ""};
  approvers.Check(name, role, a.public_key_pem, r.id + ": " + key_path);
  std::vector<uint8_t> signature;
  HexDecode(key.Sign(ApprovalMessage(r, a)), signature);
  a.signature_base64 = Base64Encode(signature);
  r.approvals.push_back(a);
}

bool VerifyApproval(const ChangeRecord& r, const Approval& a) {
  std::vector<uint8_t> signature = Base64Decode(a.signature_base64);
  if (signature.empty()) return false;
  try {
    ota::PublicKey key = ota::PublicKey::FromPem(a.public_key_pem, ota::KeyScheme::kRsaPkcs1v15);
    return key.Verify(HexEncode(signature), ApprovalMessage(r, a));
  } catch (const HostError&) {
    return false;  // not a key that can sign approvals
  }
}

ChangeStatus Evaluate(const ChangeRecord& r, const ApproverList& approvers) {
  ChangeStatus s;
  auto counts = [&](const Approval& a) {
    return VerifyApproval(r, a) && approvers.Allows(a.name, a.role, a.public_key_pem);
  };
  for (const Approval& a : r.approvals) {
    if (!VerifyApproval(r, a))
      s.invalid_approvals.push_back(a.role + " (" + a.name + ")");
    else if (!approvers.Allows(a.name, a.role, a.public_key_pem))
      s.unlisted_approvals.push_back(a.role + " (" + a.name + ")");
  }
  for (const AcceptanceCriterion& c : r.criteria) {
    if (!c.met) s.unmet_criteria.push_back(c.text);
  }
  for (const std::string& role : r.required_roles) {
    bool signed_by_role = false;
    for (const Approval& a : r.approvals)
      signed_by_role = signed_by_role || (a.role == role && counts(a));
    if (!signed_by_role) s.missing_roles.push_back(role);
  }
  s.state = !s.invalid_approvals.empty()    ? "invalid signature"
            : !s.unlisted_approvals.empty() ? "unlisted approver"
            : !s.unmet_criteria.empty()     ? "criteria not met"
            : !s.missing_roles.empty()      ? "pending approval"
                                            : "approved";
  return s;
}

}  // namespace vigil::regulatory
