// libFuzzer: reading an update package's untrusted parts: the manifest in the model target's
// custom fields (first part of the input, as JSON) and a validation-set .npy (the rest).
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/error.h"
#include "host/npy.h"
#include "ota/package/canonical_json.h"
#include "ota/package/update_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  size_t split = bytes.find('\0');
  std::string manifest = bytes.substr(0, split);
  try {
    vigil::ota::UpdateManifest::FromCustom(vigil::ota::ParseJson(manifest, "fuzz"), "model.vgl");
  } catch (const vigil::HostError&) {
  } catch (const std::exception&) {
  }
  if (split != std::string::npos) {
    try {
      vigil::NpyArray array = vigil::ParseNpy({data + split + 1, size - split - 1}, "fuzz.npy");
      array.ToFloat();
    } catch (const vigil::HostError&) {
    }
  }
  return 0;
}
