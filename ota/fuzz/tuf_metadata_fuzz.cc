// libFuzzer: TUF metadata from untrusted bytes (every role's parser), then the trusted set's
// checks with the input as a new timestamp/snapshot/targets and as a root.
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/error.h"
#include "ota/package/metadata.h"
#include "ota/tuf/trusted_metadata_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    vigil::ota::Envelope envelope = vigil::ota::ParseEnvelope(bytes, "fuzz");
    std::string type = envelope.type();
    if (type == "root") vigil::ota::ParseRoot(envelope, "fuzz");
    if (type == "timestamp") vigil::ota::ParseTimestamp(envelope, "fuzz");
    if (type == "snapshot") vigil::ota::ParseSnapshot(envelope, "fuzz");
    if (type == "targets") {
      vigil::ota::TargetsMetadata targets = vigil::ota::ParseTargets(envelope, "fuzz");
      if (targets.delegations) targets.delegations->RolesForTarget("model.vgl");
    }
  } catch (const vigil::HostError&) {
  } catch (const std::exception&) {
  }
  try {
    vigil::ota::RequireConfinedTargetPath(bytes);  // target names are untrusted paths too
  } catch (const vigil::HostError&) {
  }
  try {
    vigil::ota::TrustedMetadataSet set(bytes, 0);  // as a trusted root: must be self-signed
    set.UpdateRoot(bytes);
  } catch (const vigil::HostError&) {
  }
  return 0;
}
