// libFuzzer: ctest's JUnit XML and test list parsers must parse or fail with a HostError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/error.h"
#include "regulatory/trace/test_results.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)vigil::regulatory::ParseJUnit(text, "fuzz.xml");
  } catch (const vigil::HostError&) {
  }
  try {
    (void)vigil::regulatory::ParseCtestTestList(text, "fuzz.json");
  } catch (const vigil::HostError&) {
  }
  return 0;
}
