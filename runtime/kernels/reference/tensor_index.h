// Index arithmetic over N-d tensors shared by the reference kernels: row-major strides and NumPy
// broadcasting of an input onto an output shape.
#pragma once

#include <cstdint>

#include "vigil/tensor.h"

namespace vigil::kernels {

struct Strides {
  int64_t step[kMaxRank] = {};
};

inline Strides RowMajorStrides(const Shape& shape) {
  Strides s;
  int64_t step = 1;
  for (int d = shape.rank - 1; d >= 0; --d) {
    s.step[d] = step;
    step *= shape.dims[d];
  }
  return s;
}

// Whether `input` broadcasts onto `output` (NumPy rules: right-aligned, each dim equal or 1).
inline bool BroadcastsTo(const Shape& input, const Shape& output) {
  if (input.rank > output.rank) return false;
  for (int d = 0; d < input.rank; ++d) {
    int32_t in = input.dims[input.rank - 1 - d];
    int32_t out = output.dims[output.rank - 1 - d];
    if (in != out && in != 1) return false;
  }
  return true;
}

// Strides of `input` laid over `output`'s dimensions: 0 along broadcast dimensions.
inline Strides BroadcastStrides(const Shape& input, const Shape& output) {
  Strides own = RowMajorStrides(input);
  Strides s;
  int offset = output.rank - input.rank;
  for (int d = 0; d < output.rank; ++d) {
    int k = d - offset;
    s.step[d] = (k < 0 || input.dims[k] == 1) ? 0 : own.step[k];
  }
  return s;
}

// Walks every index of `shape` in row-major order, keeping per-operand linear offsets current.
// Usage: for (NdCounter c(shape); !c.done(); c.Next(strides...)) ...
template <int kOperands>
class NdCounter {
 public:
  NdCounter(const Shape& shape, const Strides* const (&strides)[kOperands]) : shape_(shape) {
    for (int k = 0; k < kOperands; ++k)
      strides_[k] = strides[k];
    done_ = shape.ElementCount() == 0;
  }
  bool done() const { return done_; }
  int64_t offset(int operand) const { return offset_[operand]; }
  void Next() {
    for (int d = shape_.rank - 1; d >= 0; --d) {
      if (++index_[d] < shape_.dims[d]) {
        for (int k = 0; k < kOperands; ++k)
          offset_[k] += strides_[k]->step[d];
        return;
      }
      for (int k = 0; k < kOperands; ++k)
        offset_[k] -= strides_[k]->step[d] * (shape_.dims[d] - 1);
      index_[d] = 0;
    }
    done_ = true;
  }

 private:
  Shape shape_;
  const Strides* strides_[kOperands] = {};
  int32_t index_[kMaxRank] = {};
  int64_t offset_[kOperands] = {};
  bool done_ = false;
};

}  // namespace vigil::kernels
