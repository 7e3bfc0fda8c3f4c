// Quantize and Dequantize are Vigil ops the quantizer places at the edges of int8 regions; ONNX has
// no ops of these names (its QuantizeLinear/DequantizeLinear pre-quantized form is not imported).
#include "compiler/lower/lowering.h"

namespace vigil::lower {

void LowerQuantize(LoweringContext& ctx) {
  ctx.Fail("is not an ONNX op; compile with --quantize int8 to get Vigil's int8 model");
}

void LowerDequantize(LoweringContext& ctx) {
  ctx.Fail("is not an ONNX op; compile with --quantize int8 to get Vigil's int8 model");
}

}  // namespace vigil::lower
