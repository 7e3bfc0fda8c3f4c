#include "ota/package/signing_key.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <vector>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"

namespace vigil::ota {

void EvpKeyFree::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

std::shared_ptr<EVP_PKEY> Share(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

// Whether the decoded key is of the kind the scheme names (an RSA key under an ECDSA scheme, or
// an ECDSA key on another curve, must not verify).
bool KeyFitsScheme(EVP_PKEY* key, KeyScheme scheme) {
  switch (scheme) {
    case KeyScheme::kEd25519: return EVP_PKEY_is_a(key, "ED25519");
    case KeyScheme::kEcdsaP256: {
      if (!EVP_PKEY_is_a(key, "EC")) return false;
      char group[64] = {};
      size_t len = 0;
      if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                          &len)) {
        return false;
      }
      return std::string(group) == "prime256v1" || std::string(group) == "P-256";
    }
    case KeyScheme::kRsaPss:
    case KeyScheme::kRsaPkcs1v15:
      return EVP_PKEY_is_a(key, "RSA") && EVP_PKEY_get_bits(key) >= 2048;
    case KeyScheme::kUnknown: return false;
  }
  return false;
}

EVP_PKEY* ReadPublicPem(const std::string& pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
}

std::string WritePublicPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1)
    throw HostError("cannot encode public key: " + OpenSslError());
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

const EVP_MD* SchemeDigest(KeyScheme scheme) {
  return scheme == KeyScheme::kEd25519 ? nullptr : EVP_sha256();
}

// Sets RSA padding on a sign or verify context. PSS signs with a salt as long as the digest (what
// securesystemslib writes) and verifies any salt length (what it accepts).
bool SetPadding(EVP_PKEY_CTX* pctx, KeyScheme scheme, bool signing) {
  if (scheme == KeyScheme::kRsaPss) {
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(
               pctx, signing ? RSA_PSS_SALTLEN_DIGEST : RSA_PSS_SALTLEN_AUTO) > 0;
  }
  if (scheme == KeyScheme::kRsaPkcs1v15)
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
  return true;
}

}  // namespace

const char* SchemeName(KeyScheme scheme) {
  switch (scheme) {
    case KeyScheme::kEd25519: return "ed25519";
    case KeyScheme::kEcdsaP256: return "ecdsa-sha2-nistp256";
    case KeyScheme::kRsaPss: return "rsassa-pss-sha256";
    case KeyScheme::kRsaPkcs1v15: return "rsa-pkcs1v15-sha256";
    case KeyScheme::kUnknown: return "unknown";
  }
  return "unknown";
}

const char* KeyTypeName(KeyScheme scheme) {
  switch (scheme) {
    case KeyScheme::kEd25519: return "ed25519";
    case KeyScheme::kEcdsaP256: return "ecdsa";
    case KeyScheme::kRsaPss:
    case KeyScheme::kRsaPkcs1v15: return "rsa";
    case KeyScheme::kUnknown: return "unknown";
  }
  return "unknown";
}

KeyScheme ParseScheme(std::string_view name) {
  for (KeyScheme s :
       {KeyScheme::kEd25519, KeyScheme::kEcdsaP256, KeyScheme::kRsaPss, KeyScheme::kRsaPkcs1v15}) {
    if (name == SchemeName(s)) return s;
  }
  return KeyScheme::kUnknown;
}

PublicKey PublicKey::FromTufJson(const nlohmann::json& key_object, const std::string& name) {
  if (!key_object.is_object()) throw HostError(name + ": a key must be an object");
  for (const char* field : {"keytype", "scheme"}) {
    if (!key_object.contains(field) || !key_object[field].is_string()) {
      throw HostError(name + ": key field '" + field + "' is missing or not a string");
    }
  }
  if (!key_object.contains("keyval") || !key_object["keyval"].is_object()) {
    throw HostError(name + ": key field 'keyval' is missing or not an object");
  }
  PublicKey key;
  key.tuf_json_ = key_object;
  key.scheme_ = ParseScheme(key_object["scheme"].get<std::string>());
  const std::string keytype = key_object["keytype"].get<std::string>();
  const nlohmann::json& keyval = key_object["keyval"];
  if (key.scheme_ == KeyScheme::kUnknown || !keyval.contains("public") ||
      !keyval["public"].is_string()) {
    key.scheme_ = KeyScheme::kUnknown;
    return key;
  }
  // The keytype must agree with the scheme (securesystemslib's pairs; "ecdsa-sha2-nistp256" is the
  // older spelling of the ECDSA keytype).
  bool type_ok = keytype == KeyTypeName(key.scheme_) ||
                 (key.scheme_ == KeyScheme::kEcdsaP256 && keytype == "ecdsa-sha2-nistp256");
  const std::string& material = keyval["public"].get_ref<const std::string&>();
  EVP_PKEY* evp = nullptr;
  if (type_ok && key.scheme_ == KeyScheme::kEd25519) {
    std::vector<uint8_t> raw;
    if (HexDecode(material, raw) && raw.size() == 32) {
      evp = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size());
    }
  } else if (type_ok) {
    evp = ReadPublicPem(material);
  }
  ERR_clear_error();
  if (evp && KeyFitsScheme(evp, key.scheme_)) {
    key.key_ = Share(evp);
  } else {
    EVP_PKEY_free(evp);
  }
  return key;
}

PublicKey PublicKey::FromPem(const std::string& pem, KeyScheme scheme) {
  EVP_PKEY* evp = ReadPublicPem(pem);
  if (!evp) throw HostError("not a PEM public key: " + OpenSslError());
  std::shared_ptr<EVP_PKEY> shared = Share(evp);
  if (EVP_PKEY_is_a(evp, "ED25519")) scheme = KeyScheme::kEd25519;
  if (EVP_PKEY_is_a(evp, "EC")) scheme = KeyScheme::kEcdsaP256;
  if (!KeyFitsScheme(evp, scheme)) {
    throw HostError(std::string("public key does not fit scheme ") + SchemeName(scheme) +
                    " (Ed25519, ECDSA P-256 or RSA >= 2048 bits)");
  }
  PublicKey key;
  key.scheme_ = scheme;
  key.key_ = shared;
  std::string material;
  if (scheme == KeyScheme::kEd25519) {
    uint8_t raw[32];
    size_t len = sizeof(raw);
    if (EVP_PKEY_get_raw_public_key(evp, raw, &len) != 1)
      throw HostError("cannot read Ed25519 key: " + OpenSslError());
    material = HexEncode({raw, len});
  } else {
    material = WritePublicPem(evp);
  }
  key.tuf_json_ = {{"keytype", KeyTypeName(scheme)},
                   {"scheme", SchemeName(scheme)},
                   {"keyval", {{"public", material}}}};
  return key;
}

std::string PublicKey::KeyId() const {
  std::string canonical = CanonicalJson(tuf_json_);
  return Sha256Hex({reinterpret_cast<const uint8_t*>(canonical.data()), canonical.size()});
}

std::string PublicKey::Pem() const {
  return key_ ? WritePublicPem(key_.get()) : "";
}

bool PublicKey::Verify(std::string_view signature_hex, std::string_view data) const {
  if (!key_ || scheme_ == KeyScheme::kUnknown) return false;
  std::vector<uint8_t> signature;
  if (!HexDecode(signature_hex, signature) || signature.empty()) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok =
      ctx &&
      EVP_DigestVerifyInit(ctx.get(), &pctx, SchemeDigest(scheme_), nullptr, key_.get()) == 1 &&
      SetPadding(pctx, scheme_, false) &&
      EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  ERR_clear_error();
  return ok;
}

PrivateKey PrivateKey::Generate(KeyScheme scheme) {
  EVP_PKEY* evp = nullptr;
  switch (scheme) {
    case KeyScheme::kEd25519: evp = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    case KeyScheme::kEcdsaP256: evp = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyScheme::kRsaPss:
    case KeyScheme::kRsaPkcs1v15:
      evp = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{3072});
      break;
    case KeyScheme::kUnknown: throw HostError("cannot generate a key of an unknown scheme");
  }
  if (!evp)
    throw HostError(std::string("cannot generate ") + SchemeName(scheme) +
                    " key: " + OpenSslError());
  PrivateKey key;
  key.scheme_ = scheme;
  key.key_ = Share(evp);
  return key;
}

PrivateKey PrivateKey::FromPem(const std::string& pem, const std::string& name,
                               KeyScheme rsa_scheme) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* evp = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!evp) throw HostError(name + ": not a PEM private key: " + OpenSslError());
  PrivateKey key;
  key.key_ = Share(evp);
  if (EVP_PKEY_is_a(evp, "ED25519"))
    key.scheme_ = KeyScheme::kEd25519;
  else if (EVP_PKEY_is_a(evp, "EC"))
    key.scheme_ = KeyScheme::kEcdsaP256;
  else if (EVP_PKEY_is_a(evp, "RSA"))
    key.scheme_ = rsa_scheme;
  if (key.scheme_ == KeyScheme::kUnknown || !KeyFitsScheme(evp, key.scheme_)) {
    throw HostError(name + ": unsupported key (Ed25519, ECDSA P-256 or RSA >= 2048 bits)");
  }
  return key;
}

PrivateKey PrivateKey::Load(const std::string& path, KeyScheme rsa_scheme) {
  return FromPem(ReadFileText(path), path, rsa_scheme);
}

std::string PrivateKey::PemPkcs8() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw HostError("cannot encode private key: " + OpenSslError());
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

PublicKey PrivateKey::Public() const {
  return PublicKey::FromPem(WritePublicPem(key_.get()), scheme_);
}

std::string PrivateKey::Sign(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), &pctx, SchemeDigest(scheme_), nullptr, key_.get()) != 1 ||
      !SetPadding(pctx, scheme_, true) ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    throw HostError(std::string("cannot sign with ") + SchemeName(scheme_) +
                    " key: " + OpenSslError());
  }
  std::vector<uint8_t> signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    throw HostError(std::string("cannot sign: ") + OpenSslError());
  }
  signature.resize(size);
  return HexEncode(signature);
}

bool PemIsPrivateKey(const std::string& pem) {
  return pem.find("PRIVATE KEY-----") != std::string::npos;
}

}  // namespace vigil::ota
