// libFuzzer: JSON parsing and canonical encoding. Property: canonical JSON is a fixed point
// (encoding what it parses back to gives the same bytes), whenever it parses back as JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "host/error.h"
#include "ota/package/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string canonical;
  try {
    canonical = vigil::ota::CanonicalJson(vigil::ota::ParseJson(bytes, "fuzz"));
  } catch (const vigil::HostError&) {
    return 0;
  }
  nlohmann::json again = nlohmann::json::parse(canonical, nullptr, false);
  if (!again.is_discarded() && vigil::ota::CanonicalJson(again) != canonical) std::abort();
  return 0;
}
