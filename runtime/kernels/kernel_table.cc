// The kernel resolver: one Prepare per op of ops.def. A missing kernel is a link error.
#include "kernels/kernel.h"

namespace vigil {
namespace {

constexpr PrepareFn kPrepare[] = {
#define VIGIL_OP(name, params, min_inputs, max_inputs, outputs, in_place) &kernels::Prepare##name,
#include "ops.def"
#undef VIGIL_OP
};
static_assert(sizeof(kPrepare) / sizeof(kPrepare[0]) == kOpCount, "one kernel per op");

}  // namespace

PrepareFn FindPrepare(OpCode opcode) {
  int index = static_cast<int>(opcode);
  return index >= 0 && index < kOpCount ? kPrepare[index] : nullptr;
}

}  // namespace vigil
