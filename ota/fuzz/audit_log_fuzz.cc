// libFuzzer: the audit log reader over arbitrary storage contents (a damaged or edited device).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "host/error.h"
#include "ota/device/audit_log.h"
#include "ota/sim/memory_storage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::ota::DeviceLayout layout{8 << 10, 8 << 10};
  vigil::ota::sim::MemoryStorage storage(layout, 1);
  size_t head = std::min<size_t>(size, 1024);
  storage.Write("log-head", 0, {data, head});
  storage.Write("audit-log", 0, {data + head, std::min<size_t>(size - head, 8 << 10)});
  try {
    vigil::ota::AuditLog log(storage);
    log.Verify();
    log.Append("boot", {{"mode", "fuzz"}});
  } catch (const vigil::HostError&) {
  }
  return 0;
}
