// SecurityCounter: the anti-rollback counter. A package's release counter must be at least its
// value; it only ever grows, and only when an update is confirmed (or when a start finds a
// confirmed model whose counter it had not reached: the second half of an interrupted confirm).
// Kept as a DurableRecord in the "counter" region, so a power cut never loses or tears it.
#pragma once

#include <cstdint>
#include <cstring>

#include "ota/device/durable_record.h"

namespace vigil::ota {

class SecurityCounter {
 public:
  explicit SecurityCounter(Storage& storage)
      : record_(storage, "counter", {'V', 'G', 'L', 'C', 'T', 'R', '0', '1'}) {}

  int64_t Value() {
    auto payload = record_.Read();
    int64_t value = 0;
    if (payload) std::memcpy(&value, payload->data(), 8);
    return value;
  }
  // Raises the counter to `value`; a lower or equal value changes nothing. Returns whether it
  // wrote.
  bool AdvanceTo(int64_t value) {
    if (value <= Value()) return false;
    DurableRecord::Payload payload{};
    std::memcpy(payload.data(), &value, 8);
    record_.Write(payload);
    return true;
  }

 private:
  DurableRecord record_;
};

}  // namespace vigil::ota
