// Add, Sub, Mul (NumPy broadcasting, fused activation) and the one-input activations.
#include <cfloat>

#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {
namespace {

void LowerBinary(LoweringContext& ctx, OpCode opcode) {
  // Before opset 7, broadcast=1 with an axis aligned B at that axis, unlike NumPy.
  if (ir::IntAttribute(ctx.node(), "broadcast", 0) != 0 && ir::HasAttribute(ctx.node(), "axis")) {
    ctx.Fail("legacy axis broadcasting (opset < 7) is not supported");
  }
  schema::ElementwiseParamsT p;
  p.activation = ctx.Activation();
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  ctx.Emit(opcode, {ctx.Input(0), ctx.Input(1)}, {ctx.Output(0)}, std::move(u));
}

void LowerActivation(LoweringContext& ctx, OpCode opcode, float min, float max, float alpha) {
  schema::ActivationT p;
  p.min = min;
  p.max = max;
  p.alpha = alpha;
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  ctx.Emit(opcode, {ctx.Input(0)}, {ctx.Output(0)}, std::move(u));
}

}  // namespace

void LowerAdd(LoweringContext& ctx) {
  LowerBinary(ctx, OpCode::kAdd);
}
void LowerSub(LoweringContext& ctx) {
  LowerBinary(ctx, OpCode::kSub);
}
void LowerMul(LoweringContext& ctx) {
  LowerBinary(ctx, OpCode::kMul);
}

void LowerRelu(LoweringContext& ctx) {
  ctx.Emit(OpCode::kRelu, {ctx.Input(0)}, {ctx.Output(0)});
}
void LowerSigmoid(LoweringContext& ctx) {
  ctx.Emit(OpCode::kSigmoid, {ctx.Input(0)}, {ctx.Output(0)});
}
void LowerTanh(LoweringContext& ctx) {
  ctx.Emit(OpCode::kTanh, {ctx.Input(0)}, {ctx.Output(0)});
}

void LowerLeakyRelu(LoweringContext& ctx) {
  LowerActivation(ctx, OpCode::kLeakyRelu, 0, 0, ir::FloatAttribute(ctx.node(), "alpha", 0.01f));
}

void LowerClip(LoweringContext& ctx) {
  float min = -FLT_MAX, max = FLT_MAX;
  if (ctx.graph().opset < 11) {
    min = ir::FloatAttribute(ctx.node(), "min", min);
    max = ir::FloatAttribute(ctx.node(), "max", max);
  } else {
    if (ctx.HasInput(1)) min = ctx.ConstantInput(1, "min").ToFloats().at(0);
    if (ctx.HasInput(2)) max = ctx.ConstantInput(2, "max").ToFloats().at(0);
  }
  LowerActivation(ctx, OpCode::kClip, min, max, 0);
}

}  // namespace vigil::lower
