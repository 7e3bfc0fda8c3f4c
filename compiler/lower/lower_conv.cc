// Conv and ConvTranspose: explicit pads from auto_pad or output_shape, 1-d and 2-d only.
#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {
namespace {

struct ConvAttributes {
  std::vector<int64_t> strides, dilations, pads, kernel;
};

ConvAttributes ReadCommon(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::Value& x = ctx.InputValue(0);
  const ir::Value& w = ctx.InputValue(1);
  const size_t spatial = x.shape.size() - 2;
  if (x.shape.size() != 3 && x.shape.size() != 4) {
    ctx.Fail("only 1-d and 2-d convolutions are supported (input rank " +
             std::to_string(x.shape.size()) + ")");
  }
  ConvAttributes a;
  a.kernel.assign(w.shape.begin() + 2, w.shape.end());
  a.strides = ir::IntsAttribute(node, "strides", std::vector<int64_t>(spatial, 1));
  a.dilations = ir::IntsAttribute(node, "dilations", std::vector<int64_t>(spatial, 1));
  a.pads = ir::IntsAttribute(node, "pads", std::vector<int64_t>(2 * spatial, 0));
  if (a.strides.size() != spatial || a.dilations.size() != spatial ||
      a.pads.size() != 2 * spatial || a.kernel.size() != spatial) {
    ctx.Fail("strides, dilations, pads or kernel do not match the input rank");
  }
  return a;
}

schema::OpParamsUnion Params(LoweringContext& ctx, const ConvAttributes& a,
                             const std::vector<int64_t>& output_padding) {
  schema::ConvParamsT p;
  p.strides = ToInt32(a.strides, ctx);
  p.dilations = ToInt32(a.dilations, ctx);
  p.pads = ToInt32(a.pads, ctx);
  p.group = static_cast<int32_t>(ir::IntAttribute(ctx.node(), "group", 1));
  p.output_padding = ToInt32(output_padding, ctx);
  p.activation = ctx.Activation();
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  return u;
}

}  // namespace

void LowerConv(LoweringContext& ctx) {
  ConvAttributes a = ReadCommon(ctx);
  const std::string auto_pad = ir::StringAttribute(ctx.node(), "auto_pad", "NOTSET");
  const ir::Value& x = ctx.InputValue(0);
  const size_t spatial = a.kernel.size();
  if (auto_pad == "VALID") {
    a.pads.assign(2 * spatial, 0);
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (size_t i = 0; i < spatial; ++i) {
      const int64_t in = x.shape[2 + i], out = (in + a.strides[i] - 1) / a.strides[i];
      const int64_t total = std::max<int64_t>(
          0, (out - 1) * a.strides[i] + (a.kernel[i] - 1) * a.dilations[i] + 1 - in);
      const int64_t small = total / 2, large = total - small;
      a.pads[i] = auto_pad == "SAME_UPPER" ? small : large;
      a.pads[spatial + i] = auto_pad == "SAME_UPPER" ? large : small;
    }
  } else if (auto_pad != "NOTSET") {
    ctx.Fail("unknown auto_pad '" + auto_pad + "'");
  }
  ctx.Emit(OpCode::kConv, {ctx.Input(0), ctx.Input(1), ctx.Input(2)}, {ctx.Output(0)},
           Params(ctx, a, {}));
}

void LowerConvTranspose(LoweringContext& ctx) {
  ConvAttributes a = ReadCommon(ctx);
  const ir::Node& node = ctx.node();
  const ir::Value& x = ctx.InputValue(0);
  const ir::Value& y = ctx.OutputValue(0);
  const size_t spatial = a.kernel.size();
  std::vector<int64_t> output_padding =
      ir::IntsAttribute(node, "output_padding", std::vector<int64_t>(spatial, 0));
  const std::string auto_pad = ir::StringAttribute(node, "auto_pad", "NOTSET");
  if (output_padding.size() != spatial) ctx.Fail("output_padding does not match the input rank");
  if (ir::HasAttribute(node, "output_shape") || auto_pad == "SAME_UPPER" ||
      auto_pad == "SAME_LOWER") {
    // The output size is given (output_shape, or in * stride for SAME): derive the pads that produce
    // it as ONNX does, halving with floor division; a negative total (output larger than the input
    // covers) gives negative pads, which the kernel reads as extra output.
    for (size_t i = 0; i < spatial; ++i) {
      const int64_t total = a.strides[i] * (x.shape[2 + i] - 1) + output_padding[i] +
                            (a.kernel[i] - 1) * a.dilations[i] + 1 - y.shape[2 + i];
      const int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
      a.pads[i] = auto_pad == "SAME_UPPER" ? half : total - half;
      a.pads[spatial + i] = auto_pad == "SAME_UPPER" ? total - half : half;
    }
  } else if (auto_pad == "VALID") {
    a.pads.assign(2 * spatial, 0);
  }
  ctx.Emit(OpCode::kConvTranspose, {ctx.Input(0), ctx.Input(1), ctx.Input(2)}, {ctx.Output(0)},
           Params(ctx, a, output_padding));
}

}  // namespace vigil::lower
