// DurableRecord: a small fixed-size record kept in two copies in its own region, so a power cut
// while one copy is written leaves the other intact (no rename, no journal: flash-friendly).
//
// Each copy is [magic 8][sequence u64][payload 48][sha256 of the first 64 bytes: 32] = 96 bytes.
// Read returns the valid copy with the highest sequence; Write overwrites the other copy with
// sequence + 1 and syncs. The anti-rollback counter and the audit log's head use it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "ota/device/storage.h"

namespace vigil::ota {

class DurableRecord {
 public:
  static constexpr size_t kPayloadBytes = 48;
  using Payload = std::array<uint8_t, kPayloadBytes>;

  DurableRecord(Storage& storage, std::string region, std::array<char, 8> magic)
      : storage_(storage), region_(std::move(region)), magic_(magic) {}

  // The newest intact payload; nothing when neither copy is intact (never written).
  std::optional<Payload> Read();
  void Write(const Payload& payload);

 private:
  struct Copy {
    bool valid = false;
    uint64_t sequence = 0;
    Payload payload{};
  };
  Copy ReadCopy(int index);

  Storage& storage_;
  std::string region_;
  std::array<char, 8> magic_;
};

}  // namespace vigil::ota
