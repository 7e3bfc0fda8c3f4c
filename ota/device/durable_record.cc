#include "ota/device/durable_record.h"

#include <cstring>
#include <vector>

#include "host/digest.h"

namespace vigil::ota {
namespace {
constexpr size_t kCheckedBytes = 8 + 8 + DurableRecord::kPayloadBytes;
constexpr size_t kCopyBytes = kCheckedBytes + 32;
constexpr uint64_t kCopyOffset[2] = {0, 512};  // separate write granules
}  // namespace

DurableRecord::Copy DurableRecord::ReadCopy(int index) {
  std::array<uint8_t, kCopyBytes> raw;
  storage_.Read(region_, kCopyOffset[index], raw);
  Copy copy;
  auto check = Sha256({raw.data(), kCheckedBytes});
  if (std::memcmp(raw.data(), magic_.data(), 8) != 0 ||
      std::memcmp(raw.data() + kCheckedBytes, check.data(), 32) != 0) {
    return copy;
  }
  copy.valid = true;
  std::memcpy(&copy.sequence, raw.data() + 8, 8);
  std::memcpy(copy.payload.data(), raw.data() + 16, kPayloadBytes);
  return copy;
}

std::optional<DurableRecord::Payload> DurableRecord::Read() {
  Copy a = ReadCopy(0), b = ReadCopy(1);
  if (!a.valid && !b.valid) return std::nullopt;
  if (a.valid && (!b.valid || a.sequence > b.sequence)) return a.payload;
  return b.payload;
}

void DurableRecord::Write(const Payload& payload) {
  Copy a = ReadCopy(0), b = ReadCopy(1);
  // Overwrite the copy that is not the newest intact one.
  int target = 0;
  uint64_t sequence = 1;
  if (a.valid && (!b.valid || a.sequence > b.sequence)) {
    target = 1;
    sequence = a.sequence + 1;
  } else if (b.valid) {
    sequence = b.sequence + 1;
  }
  std::array<uint8_t, kCopyBytes> raw;
  std::memcpy(raw.data(), magic_.data(), 8);
  std::memcpy(raw.data() + 8, &sequence, 8);
  std::memcpy(raw.data() + 16, payload.data(), kPayloadBytes);
  auto check = Sha256({raw.data(), kCheckedBytes});
  std::memcpy(raw.data() + kCheckedBytes, check.data(), 32);
  storage_.Write(region_, kCopyOffset[target], raw);
  storage_.Sync(region_);
}

}  // namespace vigil::ota
