#include "host/digest.h"

#include <openssl/evp.h>

#include <memory>
#include <vector>

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtx NewSha256() {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw HostError("OpenSSL: SHA-256 init failed");
  return ctx;
}

std::array<uint8_t, 32> Final(EVP_MD_CTX* ctx) {
  std::array<uint8_t, 32> out{};
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &n) != 1 || n != 32)
    throw HostError("OpenSSL: SHA-256 failed");
  return out;
}

}  // namespace

std::array<uint8_t, 32> Sha256(std::span<const uint8_t> bytes) {
  MdCtx ctx = NewSha256();
  if (EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1)
    throw HostError("OpenSSL: SHA-256 failed");
  return Final(ctx.get());
}

std::string HexEncode(std::span<const uint8_t> bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool HexDecode(std::string_view hex, std::vector<uint8_t>& out) {
  out.clear();
  if (hex.size() % 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      out.clear();
      return false;
    }
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return true;
}

std::string Sha256Hex(std::span<const uint8_t> bytes) {
  return HexEncode(Sha256(bytes));
}

std::string Sha256HexOfFile(const std::string& path) {
  InputFile in(path);  // a regular file: /dev/zero would never end
  MdCtx ctx = NewSha256();
  std::vector<uint8_t> buffer(1 << 16);
  while (size_t n = in.Read(buffer.data(), buffer.size())) {
    if (EVP_DigestUpdate(ctx.get(), buffer.data(), n) != 1)
      throw HostError("OpenSSL: SHA-256 failed");
  }
  return HexEncode(Final(ctx.get()));
}

}  // namespace vigil
