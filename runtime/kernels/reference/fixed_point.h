// Integer arithmetic of int8 kernels, exactly as docs/int8_spec.md sections 2 and 3 define it (the
// gemmlowp/TFLite fixed-point requantization). Every int8 kernel goes through these functions, and
// the NumPy reference implements the same page independently.
#pragma once

#include <cmath>
#include <cstdint>

#include "vigil/tensor.h"

namespace vigil::kernels {

constexpr int32_t kInt8Min = -128;
constexpr int32_t kInt8Max = 127;

// min(max(v, lo), hi): with lo > hi every value becomes hi (spec section 1).
inline int32_t Clamp(int64_t v, int32_t lo, int32_t hi) {
  const int64_t raised = v < lo ? lo : v;
  return static_cast<int32_t>(raised > hi ? hi : raised);
}

inline int32_t Saturate32(int64_t v) {
  return v < INT32_MIN ? INT32_MIN : (v > INT32_MAX ? INT32_MAX : static_cast<int32_t>(v));
}

// A real multiplier m >= 0 as M * 2^(shift - 31), M a Q31 integer in [2^30, 2^31).
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

inline QuantizedMultiplier QuantizeMultiplier(double m) {
  QuantizedMultiplier q;
  if (m == 0.0) return q;
  int exponent = 0;
  const double fraction = std::frexp(m, &exponent);
  int64_t fixed = static_cast<int64_t>(std::round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (fixed == (int64_t{1} << 31)) {
    fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) return q;
  if (exponent > 30) {
    q.multiplier = INT32_MAX;
    q.shift = 30;
    return q;
  }
  q.multiplier = static_cast<int32_t>(fixed);
  q.shift = exponent;
  return q;
}

// Saturating rounding doubling high multiply.
inline int32_t Srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t product = static_cast<int64_t>(a) * b;
  const int64_t nudge = product >= 0 ? (int64_t{1} << 30) : 1 - (int64_t{1} << 30);
  return static_cast<int32_t>((product + nudge) / (int64_t{1} << 31));
}

// Rounding divide by 2^exponent, ties away from zero.
inline int32_t Rdbpot(int32_t x, int exponent) {
  const int64_t mask = (int64_t{1} << exponent) - 1;
  const int64_t remainder = x & mask;
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

inline int32_t Mbqm(int32_t x, QuantizedMultiplier m) {
  const int left = m.shift > 0 ? m.shift : 0;
  const int right = m.shift > 0 ? 0 : -m.shift;
  return Rdbpot(Srdhm(Saturate32(static_cast<int64_t>(x) * (int64_t{1} << left)), m.multiplier), right);
}

// MBQM(acc) + zero point, summed exactly and clamped: the last step of every requantizing op.
inline int8_t Requantize(int32_t acc, QuantizedMultiplier m, int32_t zero_point, int32_t lo, int32_t hi) {
  return static_cast<int8_t>(Clamp(static_cast<int64_t>(Mbqm(acc, m)) + zero_point, lo, hi));
}

// Output clamp of a fused activation (section 3).
struct ActivationRange {
  int32_t lo = kInt8Min, hi = kInt8Max;
};

inline int32_t QuantizeBound(float value, float scale, int32_t zero_point) {
  double t = static_cast<double>(value) / static_cast<double>(scale);
  t = t < -1e9 ? -1e9 : (t > 1e9 ? 1e9 : t);
  return zero_point + static_cast<int32_t>(std::round(t));
}

// Per-tensor int8 parameters of an activation tensor.
inline bool IsPerTensorInt8(const TensorView& t) { return t.dtype == DType::kInt8 && t.quant.count == 1; }
inline float ScaleOf(const TensorView& t) { return t.quant.scale[0]; }
inline int32_t ZeroPointOf(const TensorView& t) { return t.quant.zero_point[0]; }
inline bool SameQuantization(const TensorView& a, const TensorView& b) {
  return ScaleOf(a) == ScaleOf(b) && ZeroPointOf(a) == ZeroPointOf(b);
}

// Persistent data of an op that requantizes per output channel (Conv, ConvTranspose, Gemm):
// the clamp range, then one multiplier per channel.
struct ChannelRequantization {
  ActivationRange range;
  int32_t channels;
  QuantizedMultiplier* multipliers() { return reinterpret_cast<QuantizedMultiplier*>(this + 1); }
  static size_t Bytes(int32_t channels) {
    return sizeof(ChannelRequantization) + static_cast<size_t>(channels) * sizeof(QuantizedMultiplier);
  }
};

}  // namespace vigil::kernels
