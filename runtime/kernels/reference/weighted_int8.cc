#include "kernels/reference/weighted_int8.h"

namespace vigil::kernels {

Status PrepareWeightedInt8(KernelContext& ctx, int32_t channels, int weight_axis,
                           const FusedActivation& activation) {
  TensorView x = ctx.input(0), w = ctx.input(1), y = ctx.output(0);
  if (!IsPerTensorInt8(x) || !IsPerTensorInt8(y)) {
    return ctx.Fail(Status::kInvalidModel, "int8 input and output need per-tensor quantization");
  }
  if (w.dtype != DType::kInt8) return ctx.Fail(Status::kInvalidModel, "int8 op needs int8 weights");
  const bool per_channel = w.quant.count == channels && w.quant.axis == weight_axis && channels > 1;
  if (!per_channel && w.quant.count != 1) {
    return ctx.Fail(Status::kInvalidModel,
                    "weights need one scale, or one per output channel along axis %d", weight_axis);
  }
  for (int32_t i = 0; i < w.quant.count; ++i) {
    if (w.quant.zero_point[i] != 0)
      return ctx.Fail(Status::kInvalidModel, "int8 weights must be symmetric (zero point 0)");
  }
  if (ctx.has_input(2) && ctx.input(2).dtype != DType::kInt32) {
    return ctx.Fail(Status::kInvalidModel, "int8 op needs an int32 bias");
  }
  if (activation.kind == schema::ActivationKind::LeakyRelu) {
    return ctx.Fail(Status::kInvalidModel,
                    "int8 ops cannot fuse LeakyRelu (it is its own table op)");
  }
  auto* data = static_cast<ChannelRequantization*>(
      ctx.AllocatePersistent(ChannelRequantization::Bytes(channels)));
  if (data == nullptr) return Status::kInvalidModel;
  data->range = activation.Int8Range(ScaleOf(y), ZeroPointOf(y));
  data->channels = channels;
  for (int32_t c = 0; c < channels; ++c) {
    const double m = static_cast<double>(ScaleOf(x)) * static_cast<double>(WeightScale(w, c)) /
                     static_cast<double>(ScaleOf(y));
    data->multipliers()[c] = QuantizeMultiplier(m);
  }
  ctx.set_op_data(data);
  return Status::kOk;
}

WeightedInt8Operands ReadWeightedInt8Operands(KernelContext& ctx) {
  const TensorView x = ctx.input(0), y = ctx.output(0);
  return {x.data_as<const int8_t>(),
          ctx.input(1).data_as<const int8_t>(),
          ctx.has_input(2) ? ctx.input(2).data_as<const int32_t>() : nullptr,
          y.data_as<int8_t>(),
          ZeroPointOf(x),
          ZeroPointOf(y),
          static_cast<const ChannelRequantization*>(ctx.op_data())};
}

}  // namespace vigil::kernels
