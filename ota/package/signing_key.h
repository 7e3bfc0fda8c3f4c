// Signing keys of update metadata, through OpenSSL 3's EVP interface only.
//
// Contract
//  - Private keys live in PEM files in PKCS#8 form ("BEGIN PRIVATE KEY"); public keys in PEM
//    SubjectPublicKeyInfo form ("BEGIN PUBLIC KEY").
//  - Schemes are TUF's names: "ed25519" (the default), "ecdsa-sha2-nistp256",
//    "rsassa-pss-sha256" and "rsa-pkcs1v15-sha256". A signature is lowercase hex of what the scheme
//    produces (raw 64 bytes for Ed25519, DER for ECDSA, the modulus-sized block for RSA).
//  - A PublicKey is also TUF's key object {"keytype", "scheme", "keyval": {"public"}}: Ed25519 as
//    hex of the raw 32 bytes, ECDSA and RSA as PEM. Its keyid is the SHA-256 of that object's
//    canonical JSON, as securesystemslib computes it.
//  - Keys read from metadata are untrusted: an unknown scheme or a malformed key never throws at
//    verification time, it only fails to verify (a key the client cannot use counts for nothing).
//
//   PrivateKey key = PrivateKey::Generate(KeyScheme::kEd25519);
//   std::string sig = key.Sign(bytes);
//   bool ok = key.Public().Verify(sig, bytes);
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

typedef struct evp_pkey_st EVP_PKEY;

namespace vigil::ota {

enum class KeyScheme { kEd25519, kEcdsaP256, kRsaPss, kRsaPkcs1v15, kUnknown };

const char* SchemeName(KeyScheme scheme);      // TUF's name, "ed25519"
KeyScheme ParseScheme(std::string_view name);  // kUnknown for anything else
const char* KeyTypeName(KeyScheme scheme);     // TUF's keytype, "ed25519" / "ecdsa" / "rsa"

struct EvpKeyFree {
  void operator()(EVP_PKEY* key) const;
};
using EvpKey = std::unique_ptr<EVP_PKEY, EvpKeyFree>;

class PublicKey {
 public:
  // From TUF's key object; throws HostError only when the object's shape is wrong (a missing
  // or non-string field), not for an unsupported scheme or undecodable key material.
  static PublicKey FromTufJson(const nlohmann::json& key_object,
                               const std::string& name_for_errors);
  // From a PEM public key file's text; the scheme chooses among those the key type allows.
  static PublicKey FromPem(const std::string& pem, KeyScheme scheme);

  KeyScheme scheme() const { return scheme_; }
  // The key object as it appears in root or delegating targets metadata.
  nlohmann::json TufJson() const { return tuf_json_; }
  std::string KeyId() const;
  // Whether `signature_hex` is a valid signature of `data` by this key under its scheme.
  bool Verify(std::string_view signature_hex, std::string_view data) const;
  std::string Pem() const;  // "" for a key whose material could not be decoded

 private:
  KeyScheme scheme_ = KeyScheme::kUnknown;
  nlohmann::json tuf_json_;
  std::shared_ptr<EVP_PKEY> key_;  // null when unusable
};

class PrivateKey {
 public:
  static PrivateKey Generate(KeyScheme scheme);
  // Reads a PKCS#8 PEM private key. RSA keys take `rsa_scheme` (PSS unless asked otherwise).
  static PrivateKey FromPem(const std::string& pem, const std::string& name_for_errors,
                            KeyScheme rsa_scheme = KeyScheme::kRsaPss);
  static PrivateKey Load(const std::string& path, KeyScheme rsa_scheme = KeyScheme::kRsaPss);

  KeyScheme scheme() const { return scheme_; }
  std::string PemPkcs8() const;
  PublicKey Public() const;
  std::string Sign(std::string_view data) const;  // lowercase hex

 private:
  KeyScheme scheme_ = KeyScheme::kUnknown;
  std::shared_ptr<EVP_PKEY> key_;
};

// True when the PEM text holds a private key (as opposed to a public one).
bool PemIsPrivateKey(const std::string& pem);

}  // namespace vigil::ota
