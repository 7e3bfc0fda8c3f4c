#include "regulatory/change/approver_list.h"

#include "host/atomic_file.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"
#include "ota/package/signing_key.h"
#include "regulatory/change/change_record.h"

namespace vigil::regulatory {
namespace {

using nlohmann::json;
constexpr const char* kType = "vigil-change-approvers";

// The "signed" part, checked field by field so a list that verifies is also well formed.
json SignedPart(const json& list, const std::string& where) {
  if (!list.is_object() || !list.contains("approvers") || !list["approvers"].is_array() ||
      !list.contains("version") || !list["version"].is_number_integer()) {
    throw HostError(where +
                    ": an approvers list needs an integer \"version\" and an "
                    "\"approvers\" array");
  }
  json out = {{"_type", kType}, {"version", list["version"]}, {"approvers", json::array()}};
  for (const json& a : list["approvers"]) {
    for (const char* field : {"name", "role", "public_key"}) {
      if (!a.is_object() || !a.contains(field) || !a[field].is_string() ||
          a[field].get<std::string>().empty()) {
        throw HostError(where + ": approver " + a.dump() + " lacks \"" + field + "\"");
      }
    }
    std::string pem = a["public_key"];
    if (KeyFingerprint(pem).empty())
      throw HostError(where + ": approver " + a["name"].get<std::string>() +
                      ": public_key is not a PEM public key");
    out["approvers"].push_back({{"name", a["name"]}, {"role", a["role"]}, {"public_key", pem}});
  }
  return out;
}

}  // namespace

bool ApproverList::Allows(const std::string& name, const std::string& role,
                          const std::string& public_key_pem) const {
  std::string fingerprint = KeyFingerprint(public_key_pem);
  if (fingerprint.empty()) return false;
  for (const Approver& a : approvers) {
    if (a.name == name && a.role == role && KeyFingerprint(a.public_key_pem) == fingerprint)
      return true;
  }
  return false;
}

void ApproverList::Check(const std::string& name, const std::string& role,
                         const std::string& public_key_pem, const std::string& what) const {
  if (Allows(name, role, public_key_pem)) return;
  std::string fingerprint = KeyFingerprint(public_key_pem);
  const Approver* holder = nullptr;
  for (const Approver& a : approvers) {
    if (KeyFingerprint(a.public_key_pem) == fingerprint) holder = &a;
  }
  if (!holder) {
    throw HostError(what + ": key " + fingerprint.substr(0, 16) +
                    " is not on the signed approvers list");
  }
  if (holder->name != name) {
    throw HostError(what + ": key " + fingerprint.substr(0, 16) + " belongs to " + holder->name +
                    ", not " + name);
  }
  throw HostError(what + ": " + name + " is not an approver for role " + role +
                  " on the signed approvers list");
}

ApproverList LoadApproverList(const std::string& list_path, const std::string& authority_path) {
  ota::PublicKey authority =
      ota::PublicKey::FromPem(ReadFileText(authority_path), ota::KeyScheme::kEd25519);
  json file = ota::ParseJson(ReadFileText(list_path), list_path);
  if (!file.is_object() || !file.contains("signed") || !file.contains("signatures") ||
      !file["signatures"].is_array()) {
    throw HostError(list_path + ": not a signed approvers list (\"signed\", \"signatures\")");
  }
  json signed_part = SignedPart(file["signed"], list_path);
  if (file["signed"] != signed_part)
    throw HostError(list_path +
                    ": \"signed\" is not an approvers list as vigil signs it (_type, version, "
                    "approvers of name, role, public_key)");
  std::string bytes = ota::CanonicalJson(signed_part);
  bool verified = false;
  for (const json& s : file["signatures"]) {
    verified = verified ||
               (s.is_object() && s.value("keyid", "") == authority.KeyId() && s.contains("sig") &&
                s["sig"].is_string() && authority.Verify(s["sig"].get<std::string>(), bytes));
  }
  ApproverList list;
  list.authority_fingerprint = KeyFingerprint(authority.Pem());
  if (!verified) {
    throw HostError(list_path + ": not signed by the change-control authority (" + authority_path +
                    ", key " + list.authority_fingerprint.substr(0, 16) + ")");
  }
  list.version = signed_part["version"];
  for (const json& a : signed_part["approvers"])
    list.approvers.push_back({a["name"], a["role"], a["public_key"]});
  return list;
}

json SignApproverList(const json& unsigned_list, const std::string& authority_key_path) {
  ota::PrivateKey authority = ota::PrivateKey::Load(authority_key_path);
  json signed_part = SignedPart(unsigned_list, "approvers list");
  return {
      {"signed", signed_part},
      {"signatures", json::array({{{"keyid", authority.Public().KeyId()},
                                   {"sig", authority.Sign(ota::CanonicalJson(signed_part))}}})}};
}

}  // namespace vigil::regulatory
