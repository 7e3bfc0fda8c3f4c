// The int8 edge cases every backend must compute bit for bit as docs/int8_spec.md says: zero
// points at -128 and 127, tiny and huge scales, saturation, rounding ties, an all-zero weight
// channel, and each op's geometry corners. Built by hand (testing/op_test_model.h) so each case
// pins down exactly the parameters it is about.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "host/npy.h"

namespace vigil::testing {

struct Int8Case {
  std::string name;
  std::vector<uint8_t> model;  // a .vgl file
  std::vector<NpyArray> inputs;
};

std::vector<Int8Case> MakeInt8Cases();

}  // namespace vigil::testing
