// Resize (ONNX Resize and Upsample): nearest and (multi)linear interpolation with the coordinate
// transformations PyTorch exports (half_pixel, pytorch_half_pixel, align_corners, asymmetric).
// The output size is the output tensor's shape; `scales` are the factors ONNX maps coordinates by.
#include <cmath>

#include "kernels/kernel.h"
#include "kernels/reference/fixed_point.h"
#include "kernels/reference/tensor_index.h"

namespace vigil::kernels {
namespace {

// ONNX measures the resized length as scale * input length (not the rounded output size), so a
// downscale by 0.6 of 4 samples maps align_corners over 2.4, not 2.
float SourceCoordinate(int32_t out, int32_t in_length, float scale,
                       schema::CoordinateTransform transform) {
  const float resized_length = scale * static_cast<float>(in_length);
  switch (transform) {
    case schema::CoordinateTransform::AlignCorners:
      return resized_length > 1.0f ? static_cast<float>(out) * static_cast<float>(in_length - 1) /
                                         (resized_length - 1.0f)
                                   : 0.0f;
    case schema::CoordinateTransform::Asymmetric: return static_cast<float>(out) / scale;
    case schema::CoordinateTransform::PytorchHalfPixel:
      return resized_length > 1.0f ? (static_cast<float>(out) + 0.5f) / scale - 0.5f : 0.0f;
    default:  // HalfPixel
      return (static_cast<float>(out) + 0.5f) / scale - 0.5f;
  }
}

int32_t NearestIndex(float x, int32_t length, schema::NearestRounding rounding) {
  float r;
  switch (rounding) {
    case schema::NearestRounding::Floor: r = std::floor(x); break;
    case schema::NearestRounding::Ceil: r = std::ceil(x); break;
    case schema::NearestRounding::RoundPreferCeil: r = std::floor(x + 0.5f); break;
    default:  // RoundPreferFloor: halves go down
      r = (x - std::floor(x) == 0.5f) ? std::floor(x) : std::round(x);
  }
  // Clamp as a float: a tiny scale can put r far past int32 (converting that is undefined).
  if (!(r > 0.0f)) return 0;
  if (r >= static_cast<float>(length - 1)) return length - 1;
  return static_cast<int32_t>(r);
}

Status EvalFloat(KernelContext& ctx) {
  const auto* p = ctx.params<schema::ResizeParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  const int rank = y.shape.rank;
  Strides in = RowMajorStrides(x.shape);
  const float* xv = x.data_as<const float>();
  float* yv = y.data_as<float>();
  int32_t index[kMaxRank] = {};
  const int64_t count = y.shape.ElementCount();
  for (int64_t out = 0; out < count; ++out) {
    // Per axis: the two neighbours and the weight of the upper one (0 for nearest).
    int64_t low[kMaxRank], high[kMaxRank];
    float weight[kMaxRank];
    for (int d = 0; d < rank; ++d) {
      const float scale = p->scales()->Get(static_cast<uint32_t>(d));
      const float c = SourceCoordinate(index[d], x.shape.dims[d], scale, p->coordinate_transform());
      if (p->mode() == schema::ResizeMode::Nearest) {
        low[d] = high[d] = NearestIndex(c, x.shape.dims[d], p->nearest_rounding());
        weight[d] = 0.0f;
      } else {
        const float clamped =
            std::fmin(std::fmax(c, 0.0f), static_cast<float>(x.shape.dims[d] - 1));
        low[d] = static_cast<int64_t>(std::floor(clamped));
        high[d] = low[d] + 1 < x.shape.dims[d] ? low[d] + 1 : low[d];
        weight[d] = clamped - static_cast<float>(low[d]);
      }
    }
    // Sum over the 2^rank corners, skipping axes with no upper neighbour weight.
    float acc = 0.0f;
    for (int corner = 0; corner < (1 << rank); ++corner) {
      float w = 1.0f;
      int64_t offset = 0;
      for (int d = 0; d < rank && w != 0.0f; ++d) {
        const bool upper = (corner >> d) & 1;
        w *= upper ? weight[d] : 1.0f - weight[d];
        offset += (upper ? high[d] : low[d]) * in.step[d];
      }
      if (w != 0.0f) acc += w * xv[offset];
    }
    yv[out] = acc;
    for (int d = rank - 1; d >= 0; --d) {
      if (++index[d] < y.shape.dims[d]) break;
      index[d] = 0;
    }
  }
  return Status::kOk;
}

// docs/int8_spec.md 5.9: the float kernel's source coordinates, then Q10 weights and an int64 sum.
Status EvalInt8(KernelContext& ctx) {
  const auto* p = ctx.params<schema::ResizeParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  const int rank = y.shape.rank;
  const int32_t zp = ZeroPointOf(x);
  Strides in = RowMajorStrides(x.shape);
  const int8_t* xv = x.data_as<const int8_t>();
  int8_t* yv = y.data_as<int8_t>();
  const bool linear = p->mode() == schema::ResizeMode::Linear;
  const int shift = 10 * rank;
  int32_t index[kMaxRank] = {};
  const int64_t count = y.shape.ElementCount();
  for (int64_t out = 0; out < count; ++out) {
    int64_t low[kMaxRank], high[kMaxRank];
    int32_t upper_weight[kMaxRank];  // Q10
    for (int d = 0; d < rank; ++d) {
      const float scale = p->scales()->Get(static_cast<uint32_t>(d));
      const float c = SourceCoordinate(index[d], x.shape.dims[d], scale, p->coordinate_transform());
      if (!linear) {
        low[d] = high[d] = NearestIndex(c, x.shape.dims[d], p->nearest_rounding());
        upper_weight[d] = 0;
        continue;
      }
      const float clamped = std::fmin(std::fmax(c, 0.0f), static_cast<float>(x.shape.dims[d] - 1));
      const int32_t c10 = static_cast<int32_t>(std::floor(clamped * 1024.0f + 0.5f));
      low[d] = c10 >> 10;
      high[d] = low[d] + 1 < x.shape.dims[d] ? low[d] + 1 : low[d];
      upper_weight[d] = c10 - static_cast<int32_t>(low[d]) * 1024;
    }
    if (!linear) {
      int64_t offset = 0;
      for (int d = 0; d < rank; ++d)
        offset += low[d] * in.step[d];
      yv[out] = xv[offset];
    } else {
      int64_t acc = 0;
      for (int corner = 0; corner < (1 << rank); ++corner) {
        int64_t weight = 1, offset = 0;
        for (int d = 0; d < rank; ++d) {
          const bool upper = (corner >> d) & 1;
          weight *= upper ? upper_weight[d] : 1024 - upper_weight[d];
          offset += (upper ? high[d] : low[d]) * in.step[d];
        }
        acc += weight * (xv[offset] - zp);
      }
      const int64_t half = int64_t{1} << (shift - 1);
      const int64_t rounded = acc >= 0 ? (acc + half) >> shift : -((-acc + half) >> shift);
      yv[out] = static_cast<int8_t>(Clamp(zp + rounded, kInt8Min, kInt8Max));
    }
    for (int d = rank - 1; d >= 0; --d) {
      if (++index[d] < y.shape.dims[d]) break;
      index[d] = 0;
    }
  }
  return Status::kOk;
}

}  // namespace

Status PrepareResize(KernelContext& ctx) {
  const auto* p = ctx.params<schema::ResizeParams>();
  TensorView x = ctx.input(0), y = ctx.output(0);
  if (y.shape.rank != x.shape.rank || p->scales() == nullptr ||
      static_cast<int>(p->scales()->size()) != x.shape.rank ||
      p->mode() > schema::ResizeMode::MAX ||
      p->coordinate_transform() > schema::CoordinateTransform::MAX ||
      p->nearest_rounding() > schema::NearestRounding::MAX) {
    return ctx.Fail(Status::kInvalidModel, "needs one scale per axis and known modes");
  }
  for (int d = 0; d < x.shape.rank; ++d) {
    const float s = p->scales()->Get(static_cast<uint32_t>(d));
    if (!(s > 0.0f) || !std::isfinite(s) || (y.shape.dims[d] > 0 && x.shape.dims[d] == 0)) {
      return ctx.Fail(Status::kInvalidModel,
                      "axis %d: scale must be positive and the input non-empty", d);
    }
  }
  if (x.dtype == DType::kInt8) {
    if (!IsPerTensorInt8(x) || !SameQuantization(x, y)) {
      return ctx.Fail(Status::kInvalidModel,
                      "int8 Resize needs the same per-tensor quantization in and out");
    }
    if (p->mode() == schema::ResizeMode::Linear && x.shape.rank > 4) {
      return ctx.Fail(Status::kUnsupportedModel, "int8 linear Resize supports rank <= 4");
    }
    ctx.set_eval(EvalInt8);
    return Status::kOk;
  }
  if (x.dtype != DType::kFloat32 || y.dtype != DType::kFloat32) {
    return ctx.Fail(Status::kUnsupportedModel, "only float32 tensors are supported");
  }
  ctx.set_eval(EvalFloat);
  return Status::kOk;
}

}  // namespace vigil::kernels
