#include "core/crc32.h"

#include <gtest/gtest.h>

#include <cstring>

namespace vigil {
namespace {

// The check value of CRC-32/ISO-HDLC (the zlib/PNG CRC) from the CRC catalogue.
TEST(Crc32, MatchesTheCatalogueCheckValue) {
  const char* text = "123456789";
  EXPECT_EQ(Crc32(reinterpret_cast<const uint8_t*>(text), std::strlen(text)), 0xCBF43926u);
  EXPECT_EQ(Crc32(nullptr, 0), 0u);
}

TEST(Crc32, DetectsEverySingleBitFlip) {
  uint8_t data[64];
  for (int i = 0; i < 64; ++i)
    data[i] = static_cast<uint8_t>(i * 37);
  const uint32_t clean = Crc32(data, sizeof(data));
  for (int bit = 0; bit < 64 * 8; ++bit) {
    data[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
    EXPECT_NE(Crc32(data, sizeof(data)), clean) << bit;
    data[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
  }
}

}  // namespace
}  // namespace vigil
