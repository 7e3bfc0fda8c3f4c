// libFuzzer: requirement and hazard files must load or fail with a HostError, nothing else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/error.h"
#include "regulatory/requirements/requirement_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  vigil::regulatory::RequirementSet set;
  try {
    vigil::regulatory::AddRequirementsYaml(set, text, "fuzz.yaml");
  } catch (const vigil::HostError&) {
  }
  try {
    vigil::regulatory::AddHazardsYaml(set, text, "fuzz.yaml");
  } catch (const vigil::HostError&) {
  }
  (void)set.Findings();
  return 0;
}
