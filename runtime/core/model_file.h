// The .vgl container: a 16-byte header (magic, header version, payload size, CRC-32) in front of
// the FlatBuffer described by runtime/schema/vgl.fbs. Shared by the verifier and the compiler's
// writer so both agree on every byte.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil {

constexpr size_t kModelHeaderBytes = 16;
constexpr uint8_t kModelMagic[4] = {'V', 'G', 'L', '1'};
constexpr uint32_t kModelHeaderVersion = 1;
// Where the model file and the arena must start, and what constant data is aligned to.
constexpr size_t kModelAlignment = 16;

inline uint32_t ReadLe32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

inline void WriteLe32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}

}  // namespace vigil
