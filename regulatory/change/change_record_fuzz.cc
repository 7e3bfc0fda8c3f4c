// libFuzzer: a change record file must load or fail with a HostError, and never verify an
// approval it cannot parse.
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/error.h"
#include "regulatory/change/change_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    vigil::regulatory::ChangeRecord r = vigil::regulatory::FromJson(j, "fuzz.json");
    (void)vigil::regulatory::Evaluate(r, vigil::regulatory::ApproverList{});
  } catch (const vigil::HostError&) {
  }
  return 0;
}
