// CRC-32 (IEEE 802.3, the polynomial of zlib and PNG) of the model file's payload. It catches
// storage and transfer corruption before the verifier reads a byte; authenticity is the update
// package's signature's job, not this one's.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil {

uint32_t Crc32(const uint8_t* data, size_t size);

}  // namespace vigil
