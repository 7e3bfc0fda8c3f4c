// SHA-256 through OpenSSL 3 (the only crypto library Vigil uses), as raw bytes or lowercase hex.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

std::array<uint8_t, 32> Sha256(std::span<const uint8_t> bytes);
std::string Sha256Hex(std::span<const uint8_t> bytes);
std::string Sha256HexOfFile(const std::string& path);  // streams the file; throws HostError
std::string HexEncode(std::span<const uint8_t> bytes);
// Lowercase or uppercase hex to bytes; false (out cleared) on an odd length or a non-hex digit.
bool HexDecode(std::string_view hex, std::vector<uint8_t>& out);

}  // namespace vigil
