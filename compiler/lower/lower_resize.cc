// Resize (opset 10+) and Upsample (opset 7-9): nearest and linear, the coordinate transformations
// PyTorch exports. Scales come from the scales input, or output/input when the model gave sizes.
#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {

void LowerResize(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  const std::vector<int64_t>& in_shape = ctx.InputValue(0).shape;
  const std::vector<int64_t>& out_shape = ctx.OutputValue(0).shape;
  const bool upsample = node.op_type == "Upsample";
  std::vector<float> scales;
  if (upsample && ctx.graph().opset < 9) {
    scales = ir::FloatsAttribute(node, "scales");
  } else {
    const size_t scales_input = upsample || ctx.graph().opset < 11 ? 1 : 2;
    if (ctx.HasInput(scales_input) &&
        ctx.ConstantInput(scales_input, "scales").ElementCount() > 0) {
      scales = ctx.ConstantInput(scales_input, "scales").ToFloats();
    }
  }
  if (scales.empty()) {
    for (size_t d = 0; d < in_shape.size(); ++d) {
      scales.push_back(static_cast<float>(out_shape[d]) /
                       static_cast<float>(in_shape[d] ? in_shape[d] : 1));
    }
  }
  if (scales.size() != in_shape.size()) ctx.Fail("needs one scale per input dimension");

  schema::ResizeParamsT p;
  p.scales = scales;
  const std::string mode = ir::StringAttribute(node, "mode", "nearest");
  if (mode == "nearest")
    p.mode = schema::ResizeMode::Nearest;
  else if (mode == "linear" || mode == "bilinear")
    p.mode = schema::ResizeMode::Linear;
  else
    ctx.Fail("unsupported mode '" + mode + "' (nearest and linear are supported)");

  const std::string transform =
      upsample || ctx.graph().opset < 11
          ? "asymmetric"
          : ir::StringAttribute(node, "coordinate_transformation_mode", "half_pixel");
  if (transform == "half_pixel")
    p.coordinate_transform = schema::CoordinateTransform::HalfPixel;
  else if (transform == "asymmetric")
    p.coordinate_transform = schema::CoordinateTransform::Asymmetric;
  else if (transform == "align_corners")
    p.coordinate_transform = schema::CoordinateTransform::AlignCorners;
  else if (transform == "pytorch_half_pixel")
    p.coordinate_transform = schema::CoordinateTransform::PytorchHalfPixel;
  else
    ctx.Fail("unsupported coordinate_transformation_mode '" + transform + "'");

  const std::string rounding =
      upsample || ctx.graph().opset < 11
          ? "floor"
          : ir::StringAttribute(node, "nearest_mode", "round_prefer_floor");
  if (rounding == "round_prefer_floor")
    p.nearest_rounding = schema::NearestRounding::RoundPreferFloor;
  else if (rounding == "round_prefer_ceil")
    p.nearest_rounding = schema::NearestRounding::RoundPreferCeil;
  else if (rounding == "floor")
    p.nearest_rounding = schema::NearestRounding::Floor;
  else if (rounding == "ceil")
    p.nearest_rounding = schema::NearestRounding::Ceil;
  else
    ctx.Fail("unsupported nearest_mode '" + rounding + "'");
  if (ir::IntAttribute(node, "exclude_outside", 0) != 0)
    ctx.Fail("exclude_outside is only meaningful for cubic");

  schema::OpParamsUnion u;
  u.Set(std::move(p));
  ctx.Emit(OpCode::kResize, {ctx.Input(0)}, {ctx.Output(0)}, std::move(u));
}

}  // namespace vigil::lower
