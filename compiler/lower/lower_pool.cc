// MaxPool, AveragePool, GlobalAveragePool (1-d and 2-d). Ceil mode needs no parameter: the output
// shape says it, and the kernel accepts the floor or the ceil size.
#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {
namespace {

schema::OpParamsUnion PoolParams(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::Value& x = ctx.InputValue(0);
  if (x.shape.size() != 3 && x.shape.size() != 4) {
    ctx.Fail("only 1-d and 2-d pooling is supported (input rank " + std::to_string(x.shape.size()) +
             ")");
  }
  const size_t spatial = x.shape.size() - 2;
  std::vector<int64_t> kernel = ir::IntsAttribute(node, "kernel_shape");
  std::vector<int64_t> strides =
      ir::IntsAttribute(node, "strides", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> dilations =
      ir::IntsAttribute(node, "dilations", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> pads = ir::IntsAttribute(node, "pads", std::vector<int64_t>(2 * spatial, 0));
  if (kernel.size() != spatial || strides.size() != spatial || dilations.size() != spatial ||
      pads.size() != 2 * spatial) {
    ctx.Fail("kernel_shape, strides, dilations or pads do not match the input rank");
  }
  const std::string auto_pad = ir::StringAttribute(node, "auto_pad", "NOTSET");
  if (auto_pad == "VALID") {
    pads.assign(2 * spatial, 0);
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (size_t i = 0; i < spatial; ++i) {
      const int64_t in = x.shape[2 + i], out = (in + strides[i] - 1) / strides[i];
      const int64_t total =
          std::max<int64_t>(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in);
      const int64_t small = total / 2, large = total - small;
      pads[i] = auto_pad == "SAME_UPPER" ? small : large;
      pads[spatial + i] = auto_pad == "SAME_UPPER" ? large : small;
    }
  }
  schema::PoolParamsT p;
  p.kernel = ToInt32(kernel, ctx);
  p.strides = ToInt32(strides, ctx);
  p.dilations = ToInt32(dilations, ctx);
  p.pads = ToInt32(pads, ctx);
  p.count_include_pad = ir::IntAttribute(node, "count_include_pad", 0) != 0;
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  return u;
}

}  // namespace

void LowerMaxPool(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.outputs.size() > 1 && node.outputs[1] >= 0 &&
      (!ctx.graph().Consumers(node.outputs[1]).empty() ||
       ctx.graph().IsGraphOutput(node.outputs[1]))) {
    ctx.Fail("the Indices output of MaxPool is not supported");
  }
  if (ir::IntAttribute(node, "storage_order", 0) != 0) ctx.Fail("storage_order 1 is not supported");
  ctx.Emit(OpCode::kMaxPool, {ctx.Input(0)}, {ctx.Output(0)}, PoolParams(ctx));
}

void LowerAveragePool(LoweringContext& ctx) {
  ctx.Emit(OpCode::kAveragePool, {ctx.Input(0)}, {ctx.Output(0)}, PoolParams(ctx));
}

void LowerGlobalAveragePool(LoweringContext& ctx) {
  ctx.Emit(OpCode::kGlobalAveragePool, {ctx.Input(0)}, {ctx.Output(0)});
}

}  // namespace vigil::lower
