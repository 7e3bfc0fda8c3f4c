// Softmax. Before opset 13, Softmax normalised over all dimensions from `axis` on (the input
// flattened to 2-d); that form lowers to Reshape -> Softmax over axis 1 -> Reshape.
#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {

void LowerSoftmax(LoweringContext& ctx) {
  const std::vector<int64_t>& shape = ctx.InputValue(0).shape;
  const int64_t rank = static_cast<int64_t>(shape.size());
  const bool flattening = ctx.graph().opset < 13;
  const int64_t axis =
      NormalizeAxis(ir::IntAttribute(ctx.node(), "axis", flattening ? 1 : -1), rank, ctx);
  auto params = [](int32_t a) {
    schema::AxisParamsT p;
    p.axis = a;
    schema::OpParamsUnion u;
    u.Set(std::move(p));
    return u;
  };
  if (!flattening || axis == rank - 1) {
    ctx.Emit(OpCode::kSoftmax, {ctx.Input(0)}, {ctx.Output(0)}, params(static_cast<int32_t>(axis)));
    return;
  }
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  const std::vector<int64_t> flat = {outer, outer ? ir::ElementCount(shape) / outer : 0};
  const std::string& name = ctx.OutputValue(0).name;
  const int flat_in = ctx.NewIntermediate(name + "_flat_in", flat);
  const int flat_out = ctx.NewIntermediate(name + "_flat_out", flat);
  ctx.Emit(OpCode::kReshape, {ctx.Input(0)}, {flat_in}, {}, "_flatten");
  ctx.Emit(OpCode::kSoftmax, {flat_in}, {flat_out}, params(1));
  ctx.Emit(OpCode::kReshape, {flat_out}, {ctx.Output(0)}, {}, "_unflatten");
}

}  // namespace vigil::lower
