// Prepare-time checks and requantization data shared by the int8 ops with weights (Conv,
// ConvTranspose, Gemm): docs/int8_spec.md sections 5.1-5.3.
#pragma once

#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"
#include "kernels/reference/fused_activation.h"

namespace vigil::kernels {

// Checks that input 0 and output 0 are per-tensor int8, input 1 (weights) is int8 with zero points 0
// and one scale or one per output channel along `weight_axis`, input 2 (bias, optional) is int32;
// then stores the clamp range and one multiplier per output channel in persistent memory and sets
// it as the op data.
Status PrepareWeightedInt8(KernelContext& ctx, int32_t channels, int weight_axis,
                           const FusedActivation& activation);

// What Eval of such an op reads: input 0 (x; A of Gemm), the weights (w; B of Gemm), the bias
// (nullptr without one), the output, the zero points of input and output, and the requantization
// Prepare stored.
struct WeightedInt8Operands {
  const int8_t* x;
  const int8_t* w;
  const int32_t* bias;
  int8_t* y;
  int32_t zp_x, zp_y;
  const ChannelRequantization* requantization;

  Requantizer ForChannel(int32_t c) const { return requantization->ForChannel(c, zp_y); }
};
WeightedInt8Operands ReadWeightedInt8Operands(KernelContext& ctx);

// The weight scale of output channel `c`.
inline float WeightScale(const TensorView& w, int32_t c) {
  return w.quant.scale[w.quant.count == 1 ? 0 : c];
}

}  // namespace vigil::kernels
