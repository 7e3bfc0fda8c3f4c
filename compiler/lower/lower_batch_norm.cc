// A BatchNormalization the folding pass could not merge (its input is not a Conv/Gemm output, or
// that output has other readers) becomes y = x * scale + shift with per-channel constants.
#include <cmath>

#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {

void LowerBatchNormalization(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  if (ir::IntAttribute(node, "training_mode", 0) != 0) ctx.Fail("training mode is not supported");
  const std::vector<int64_t>& shape = ctx.InputValue(0).shape;
  if (shape.size() < 2) ctx.Fail("input must be at least [N, C]");
  std::vector<double> gamma = ctx.ConstantInput(1, "scale").ToDoubles();
  std::vector<double> beta = ctx.ConstantInput(2, "B").ToDoubles();
  std::vector<double> mean = ctx.ConstantInput(3, "input_mean").ToDoubles();
  std::vector<double> var = ctx.ConstantInput(4, "input_var").ToDoubles();
  const double epsilon = ir::FloatAttribute(node, "epsilon", 1e-5f);
  const int64_t channels = shape[1];
  if (static_cast<int64_t>(gamma.size()) != channels)
    ctx.Fail("scale does not have one entry per channel");
  std::vector<float> scale(static_cast<size_t>(channels)), shift(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    const double s = gamma[c] / std::sqrt(var.at(c) + epsilon);
    scale[c] = static_cast<float>(s);
    shift[c] = static_cast<float>(beta.at(c) - mean.at(c) * s);
  }
  // [C, 1, ...] broadcasts over the spatial dimensions of [N, C, ...].
  std::vector<int64_t> channel_shape(shape.size() - 1, 1);
  channel_shape[0] = channels;
  const std::string& name = ctx.OutputValue(0).name;
  const int scaled = ctx.NewIntermediate(name + "_scaled", shape);
  auto none = [] {
    schema::ElementwiseParamsT p;
    schema::OpParamsUnion u;
    u.Set(std::move(p));
    return u;
  };
  ctx.Emit(OpCode::kMul,
           {ctx.Input(0),
            ctx.NewConstant(name + "_scale", ir::TensorData::FromFloats(channel_shape, scale))},
           {scaled}, none(), "_scale");
  ctx.Emit(
      OpCode::kAdd,
      {scaled, ctx.NewConstant(name + "_shift", ir::TensorData::FromFloats(channel_shape, shift))},
      {ctx.Output(0)}, none(), "_shift");
}

}  // namespace vigil::lower
