// Gemm and MatMul.
#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {

void LowerGemm(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  schema::GemmParamsT p;
  p.alpha = ir::FloatAttribute(node, "alpha", 1.0f);
  p.beta = ir::FloatAttribute(node, "beta", 1.0f);
  p.trans_a = ir::IntAttribute(node, "transA", 0) != 0;
  p.trans_b = ir::IntAttribute(node, "transB", 0) != 0;
  p.activation = ctx.Activation();
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  std::vector<int32_t> inputs = {ctx.Input(0), ctx.Input(1)};
  if (ctx.HasInput(2)) inputs.push_back(ctx.Input(2));
  ctx.Emit(OpCode::kGemm, inputs, {ctx.Output(0)}, std::move(u));
}

void LowerMatMul(LoweringContext& ctx) {
  ctx.Emit(OpCode::kMatMul, {ctx.Input(0), ctx.Input(1)}, {ctx.Output(0)});
}

}  // namespace vigil::lower
