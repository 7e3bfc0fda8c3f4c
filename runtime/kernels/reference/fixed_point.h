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

// Each product (x - zp_x) * w of an int8 op with weights lies in [-32640, 32640] (|x - zp_x| <= 255,
// |w| <= 128), so an int32 sum of at most kInt32SafeTerms (65,793) of them cannot overflow.
constexpr int64_t kInt32SafeTerms = INT32_MAX / 32640;

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
  int64_t fixed =
      static_cast<int64_t>(std::round(fraction * static_cast<double>(int64_t{1} << 31)));
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
  return Rdbpot(Srdhm(Saturate32(static_cast<int64_t>(x) * (int64_t{1} << left)), m.multiplier),
                right);
}

// The last step of every requantizing op, Requantize(Sat32(acc), M, shift, zp, lo, hi) of the spec:
// Clamp(MBQM(Sat32(acc)) + zp, lo, hi). An op builds one per multiplier, outside its loops, and
// calls it per value. It gives the spec's integers with one saturation, one multiply, one rounding
// add and one shift, branch-free, where Srdhm then Rdbpot round twice, each with its own sign
// fix-up, and work out their masks per value (in the ECG classifier's Conv on x86-64: 53
// instructions per value as Mbqm and Clamp, 24 here). Why the single shift is exact:
//  - SRDHM: for p = x * M, (p + nudge) / 2^31 truncated is floor((p + 2^30) / 2^31) for either sign
//    of p (for p < 0, truncating the negative q = p + 1 - 2^30 is flooring q + 2^31 - 1).
//  - RDBPOT(t, n), n >= 1: rem > threshold exactly when rem + 2^(n-1) - [t < 0] >= 2^n, so it is
//    floor((t + 2^(n-1) - [t < 0]) / 2^n); for n = 0 it is t.
//  - floor((floor(q / 2^31) + c) / 2^n) = floor((q + c * 2^31) / 2^(31 + n)) for any integer c, and
//    floor(q / 2^31) < 0 exactly when q < 0: both roundings become one shift of q.
//  - SRDHM saturates only for x = M = -2^31, where this gives 2^31 for its 2^31 - 1. RDBPOT by
//    n >= 1 rounds both to 2^(31 - n); with n = 0 both lie above any int8 bound, so the clamp to
//    [lo, hi] (int8 bounds, zero point an int8 value) gives the same.
// Every |intermediate| < 2^63: |p| <= 2^62 and the rounding term <= 2^61 + 2^30.
class Requantizer {
 public:
  // m.shift in [-31, 30], as QuantizeMultiplier makes it (any m.multiplier); zero_point, lo and hi
  // in [-128, 127].
  Requantizer(QuantizedMultiplier m, int32_t zero_point, int32_t lo, int32_t hi)
      : multiplier_(m.multiplier),
        left_factor_(int64_t{1} << (m.shift > 0 ? m.shift : 0)),
        right_(31 + (m.shift > 0 ? 0 : -m.shift)),
        rounding_(m.shift < 0 ? int64_t{1} << (30 - m.shift) : 0),
        negative_(m.shift < 0 ? int64_t{1} << 31 : 0),
        zero_point_(zero_point),
        lo_(lo),
        hi_(hi) {}

  // acc is an exact sum with |acc| <= 2^32: an int32 sum plus an int32 bias, or a sum of unknown
  // size already saturated by Saturate32. The spec's Sat32(acc) and MBQM's Sat32(x * 2^left) are
  // then one saturation of acc * 2^left (|acc * 2^left| <= 2^62).
  int8_t operator()(int64_t acc) const {
    const int64_t x = Saturate32(acc * left_factor_);
    const int64_t q = x * multiplier_ + (int64_t{1} << 30);
    const int64_t r = (q + rounding_ - ((q >> 63) & negative_)) >> right_;
    return static_cast<int8_t>(Clamp(r + zero_point_, lo_, hi_));
  }

 private:
  int64_t multiplier_;
  int64_t left_factor_;  // 2^left
  int right_;            // 31 + n
  int64_t rounding_;     // 2^(n-1) * 2^31 for RDBPOT by n >= 1, else 0
  int64_t negative_;     // 2^31 for RDBPOT by n >= 1 (the [t < 0] term), else 0
  int32_t zero_point_, lo_, hi_;
};

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
inline bool IsPerTensorInt8(const TensorView& t) {
  return t.dtype == DType::kInt8 && t.quant.count == 1;
}
inline float ScaleOf(const TensorView& t) {
  return t.quant.scale[0];
}
inline int32_t ZeroPointOf(const TensorView& t) {
  return t.quant.zero_point[0];
}
inline bool SameQuantization(const TensorView& a, const TensorView& b) {
  return ScaleOf(a) == ScaleOf(b) && ZeroPointOf(a) == ZeroPointOf(b);
}

// Persistent data of an op that requantizes per output channel (Conv, ConvTranspose, Gemm):
// the clamp range, then one multiplier per channel.
struct ChannelRequantization {
  ActivationRange range;
  int32_t channels;
  QuantizedMultiplier* multipliers() { return reinterpret_cast<QuantizedMultiplier*>(this + 1); }
  const QuantizedMultiplier* multipliers() const {
    return reinterpret_cast<const QuantizedMultiplier*>(this + 1);
  }
  // The requantization of output channel `c` (one multiplier serves all when channels == 1).
  Requantizer ForChannel(int32_t c, int32_t zero_point) const {
    return Requantizer(multipliers()[channels == 1 ? 0 : c], zero_point, range.lo, range.hi);
  }
  static size_t Bytes(int32_t channels) {
    return sizeof(ChannelRequantization) +
           static_cast<size_t>(channels) * sizeof(QuantizedMultiplier);
  }
};

}  // namespace vigil::kernels
