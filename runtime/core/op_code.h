// OpCode: the operators of runtime/ops.def as an enum, plus their arity and parameter type.
#pragma once

#include <cstdint>

#include "vgl_generated.h"
#include "vigil/config.h"

namespace vigil {

enum class OpCode : uint16_t {
#define VIGIL_OP(name, params, min_inputs, max_inputs, outputs, in_place) k##name,
#include "ops.def"
#undef VIGIL_OP
  kCount,
};

struct OpInfo {
  const char* name;
  schema::OpParams params;
  int min_inputs, max_inputs, outputs;
  bool in_place;
};

// Indexed by OpCode; kOpInfo[i].name is the op's name in ops.def.
inline constexpr OpInfo kOpInfo[] = {
#define VIGIL_OP(name, params, min_inputs, max_inputs, outputs, in_place) \
  {#name, schema::OpParams::params, min_inputs, max_inputs, outputs, in_place},
#include "ops.def"
#undef VIGIL_OP
};
static_assert(sizeof(kOpInfo) / sizeof(kOpInfo[0]) == static_cast<int>(OpCode::kCount),
              "one OpInfo per op of ops.def");

constexpr int kOpCount = static_cast<int>(OpCode::kCount);

}  // namespace vigil
