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
#include "regulatory/evidence/evidence_file.h"

namespace vigil::regulatory {
namespace {

using nlohmann::json;
using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

// Ed25519 signs the message itself; other key types sign its SHA-256.
const EVP_MD* DigestFor(EVP_PKEY* key) {
  return EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
}

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
             const std::string& role, const std::string& at) {
  std::string pem = ReadFileText(key_path);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (!key)
    throw HostError(key_path +
                    ": not a PEM private key (openssl genpkey -algorithm ed25519 makes one)");
  Approval a{role, name, at, "", ""};
  std::string message = ApprovalMessage(r, a);
  Context ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(key.get()), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    throw HostError(key_path + ": OpenSSL cannot sign with this key");
  }
  std::vector<uint8_t> signature(length);
  if (EVP_DigestSign(ctx.get(), signature.data(), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    throw HostError(key_path + ": OpenSSL signing failed");
  }
  signature.resize(length);
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(out.get(), key.get());
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  a.public_key_pem.assign(data, static_cast<size_t>(n));
  a.signature_base64 = Base64Encode(signature);
  r.approvals.push_back(a);
}

bool VerifyApproval(const ChangeRecord& r, const Approval& a) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(a.public_key_pem.data(), static_cast<int>(a.public_key_pem.size())),
      BIO_free);
  Key key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::vector<uint8_t> signature = Base64Decode(a.signature_base64);
  if (!key || signature.empty()) return false;
  std::string message = ApprovalMessage(r, a);
  Context ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, DigestFor(key.get()), nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

ChangeStatus Evaluate(const ChangeRecord& r) {
  ChangeStatus s;
  for (const Approval& a : r.approvals) {
    if (!VerifyApproval(r, a)) s.invalid_approvals.push_back(a.role + " (" + a.name + ")");
  }
  for (const AcceptanceCriterion& c : r.criteria) {
    if (!c.met) s.unmet_criteria.push_back(c.text);
  }
  for (const std::string& role : r.required_roles) {
    bool signed_by_role = false;
    for (const Approval& a : r.approvals)
      signed_by_role = signed_by_role || (a.role == role && VerifyApproval(r, a));
    if (!signed_by_role) s.missing_roles.push_back(role);
  }
  s.state = !s.invalid_approvals.empty() ? "invalid signature"
            : !s.unmet_criteria.empty()  ? "criteria not met"
            : !s.missing_roles.empty()   ? "pending approval"
                                         : "approved";
  return s;
}

}  // namespace vigil::regulatory
