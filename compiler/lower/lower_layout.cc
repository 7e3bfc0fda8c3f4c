// Ops that move elements without arithmetic: Reshape (and Flatten, Squeeze, Unsqueeze, Identity,
// Dropout, whose output shape shape inference already knows), Transpose, Concat, Pad, Slice.
#include <algorithm>

#include "compiler/ir/attributes.h"
#include "compiler/lower/lowering.h"

namespace vigil::lower {

void LowerReshape(LoweringContext& ctx) {
  ctx.Emit(OpCode::kReshape, {ctx.Input(0)}, {ctx.Output(0)});
}

// A Dropout the identity pass kept (it joins a graph input or constant to an output) is a copy;
// training mode and the mask output have no inference meaning here.
void LowerDropout(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.outputs.size() > 1 && node.outputs[1] >= 0)
    ctx.Fail("the mask output of Dropout is not supported");
  const bool zero_ratio = ctx.HasInput(1) && ctx.ConstantInput(1, "ratio").ToDoubles().at(0) == 0.0;
  if (ctx.HasInput(2) && ctx.ConstantInput(2, "training_mode").ToDoubles().at(0) != 0.0 &&
      !zero_ratio) {
    ctx.Fail("training mode is not supported");
  }
  ctx.Emit(OpCode::kReshape, {ctx.Input(0)}, {ctx.Output(0)});
}

void LowerTranspose(LoweringContext& ctx) {
  const int64_t rank = static_cast<int64_t>(ctx.InputValue(0).shape.size());
  std::vector<int64_t> perm = ir::IntsAttribute(ctx.node(), "perm");
  if (perm.empty()) {
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  }
  schema::TransposeParamsT p;
  p.perm = ToInt32(perm, ctx);
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  ctx.Emit(OpCode::kTranspose, {ctx.Input(0)}, {ctx.Output(0)}, std::move(u));
}

void LowerConcat(LoweringContext& ctx) {
  const int64_t rank = static_cast<int64_t>(ctx.OutputValue(0).shape.size());
  schema::AxisParamsT p;
  // Concat-1 defaulted to axis 1; from opset 4 the axis is required.
  const int64_t default_axis = ctx.graph().opset < 4 ? 1 : 0;
  p.axis = static_cast<int32_t>(
      NormalizeAxis(ir::IntAttribute(ctx.node(), "axis", default_axis), rank, ctx));
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  std::vector<int32_t> inputs;
  for (size_t k = 0; k < ctx.node().inputs.size(); ++k) {
    // Empty inputs contribute nothing; skipping them keeps every kernel input non-empty.
    if (ctx.HasInput(k) && ir::ElementCount(ctx.InputValue(k).shape) > 0)
      inputs.push_back(ctx.Input(k));
  }
  if (inputs.size() > VIGIL_MAX_OP_INPUTS)
    ctx.Fail("more than " + std::to_string(VIGIL_MAX_OP_INPUTS) + " inputs");
  if (inputs.empty()) inputs.push_back(ctx.Input(0));
  ctx.Emit(OpCode::kConcat, inputs, {ctx.Output(0)}, std::move(u));
}

void LowerPad(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  const int64_t rank = static_cast<int64_t>(ctx.InputValue(0).shape.size());
  std::vector<int64_t> pads;
  float value = 0.0f;
  if (ctx.graph().opset < 11) {
    pads = ir::IntsAttribute(node, "pads");
    value = ir::FloatAttribute(node, "value", 0.0f);
  } else {
    pads = ctx.ConstantInput(1, "pads").ToInt64s();
    if (ctx.HasInput(2)) value = ctx.ConstantInput(2, "constant_value").ToFloats().at(0);
    if (ctx.HasInput(3)) {
      // opset 18 axes; kept for models that name them explicitly.
      std::vector<int64_t> axes = ctx.ConstantInput(3, "axes").ToInt64s();
      std::vector<int64_t> full(2 * rank, 0);
      for (size_t i = 0; i < axes.size(); ++i) {
        int64_t a = NormalizeAxis(axes[i], rank, ctx);
        full[a] = pads[i];
        full[rank + a] = pads[axes.size() + i];
      }
      pads = full;
    }
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank) ctx.Fail("pads must have 2 x rank entries");
  const std::string mode = ir::StringAttribute(node, "mode", "constant");
  schema::PadParamsT p;
  p.pads = ToInt32(pads, ctx);
  p.value = value;
  if (mode == "constant")
    p.mode = schema::PadMode::Constant;
  else if (mode == "reflect")
    p.mode = schema::PadMode::Reflect;
  else if (mode == "edge")
    p.mode = schema::PadMode::Edge;
  else
    ctx.Fail("unsupported pad mode '" + mode + "'");
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  ctx.Emit(OpCode::kPad, {ctx.Input(0)}, {ctx.Output(0)}, std::move(u));
}

void LowerSlice(LoweringContext& ctx) {
  const ir::Node& node = ctx.node();
  const std::vector<int64_t>& in_shape = ctx.InputValue(0).shape;
  const int64_t rank = static_cast<int64_t>(in_shape.size());
  std::vector<int64_t> starts, ends, axes, steps;
  if (ctx.graph().opset < 10) {
    starts = ir::IntsAttribute(node, "starts");
    ends = ir::IntsAttribute(node, "ends");
    axes = ir::IntsAttribute(node, "axes");
  } else {
    starts = ctx.ConstantInput(1, "starts").ToInt64s();
    ends = ctx.ConstantInput(2, "ends").ToInt64s();
    if (ctx.HasInput(3)) axes = ctx.ConstantInput(3, "axes").ToInt64s();
    if (ctx.HasInput(4)) steps = ctx.ConstantInput(4, "steps").ToInt64s();
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    ctx.Fail("starts, ends, axes and steps differ in length");
  }
  // Resolve ONNX's negative and out-of-range values into a first index and a step per axis; the
  // output length is the output shape's, which shape inference computed by the same rules.
  std::vector<int64_t> first(static_cast<size_t>(rank), 0), step(static_cast<size_t>(rank), 1);
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t a = NormalizeAxis(axes[i], rank, ctx), dim = in_shape[a];
    int64_t s = starts[i];
    if (steps[i] == 0) ctx.Fail("a step is zero");
    if (s < 0) s += dim;
    s = steps[i] > 0 ? std::clamp<int64_t>(s, 0, dim) : std::clamp<int64_t>(s, 0, dim - 1);
    first[a] = s;
    step[a] = steps[i];
  }
  schema::SliceParamsT p;
  p.starts = ToInt32(first, ctx);
  p.steps = ToInt32(step, ctx);
  schema::OpParamsUnion u;
  u.Set(std::move(p));
  ctx.Emit(OpCode::kSlice, {ctx.Input(0)}, {ctx.Output(0)}, std::move(u));
}

}  // namespace vigil::lower
