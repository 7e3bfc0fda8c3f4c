// Who may approve a change: a list of approvers (name, role, public key) signed by the
// change-control authority, whose public key is pinned in the repository
// (docs/regulatory/change-control-authority.pub). An approval counts only when its key, name and
// role are on a list that verifies under that key: a key anyone can generate proves nothing.
//
// The file, docs/regulatory/approvers.json, is signed the way TUF signs metadata (and with the
// same code, ota/package/signing_key.h):
//   {"signed": {"_type": "vigil-change-approvers", "version": 1,
//               "approvers": [{"name": "Q. Lead", "role": "quality", "public_key": "<PEM>"}]},
//    "signatures": [{"keyid": "<the authority key's TUF keyid>", "sig": "<hex>"}]}
// where each signature covers the canonical JSON of "signed" (ota/package/canonical_json.h).
//
//   ApproverList list = LoadApproverList("docs/regulatory/approvers.json",
//                                        "docs/regulatory/change-control-authority.pub");
//   list.Check("Q. Lead", "quality", public_key_pem, "CC-2026-001");  // throws if not listed
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vigil::regulatory {

struct Approver {
  std::string name, role, public_key_pem;
};

struct ApproverList {
  int version = 0;
  std::vector<Approver> approvers;
  std::string authority_fingerprint;  // SHA-256 of the authority's DER public key

  // Whether `name` holds `role` with exactly this public key.
  bool Allows(const std::string& name, const std::string& role,
              const std::string& public_key_pem) const;
  // Throws HostError (starting with `what`) naming which of key, name and role is not listed.
  void Check(const std::string& name, const std::string& role, const std::string& public_key_pem,
             const std::string& what) const;
};

// Reads the list and verifies its signature under the authority's PEM public key; throws HostError
// naming the file when it is unreadable, malformed, or not signed by that key.
ApproverList LoadApproverList(const std::string& list_path, const std::string& authority_path);

// Signs an unsigned list {"version": N, "approvers": [{name, role, public_key}]} with the
// authority's private key and returns the signed file's JSON. Throws HostError on a malformed list.
nlohmann::json SignApproverList(const nlohmann::json& unsigned_list,
                                const std::string& authority_key_path);

}  // namespace vigil::regulatory
