// TensorView: a non-owning view of one tensor of a running model (shape, type, quantization, data).
//
// Views are cheap to copy and valid while the Interpreter that produced them is alive. The data of
// a non-constant tensor lives in the caller's arena; constants point into the model file.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil {

// Element types of runtime tensors. The values are those of the model file schema (vgl.fbs).
enum class DType : uint8_t {
  kFloat32 = 0,
  kInt8 = 1,
  kInt32 = 2,
};

constexpr size_t DTypeBytes(DType dtype) {
  return dtype == DType::kInt8 ? 1 : 4;
}
const char* DTypeName(DType dtype);

// Highest tensor rank the runtime accepts (the verifier rejects anything larger).
constexpr int kMaxRank = 6;

struct Shape {
  int32_t rank = 0;
  int32_t dims[kMaxRank] = {};

  int64_t ElementCount() const {
    int64_t n = 1;
    for (int i = 0; i < rank; ++i)
      n *= dims[i];
    return n;
  }
  bool operator==(const Shape& other) const {
    if (rank != other.rank) return false;
    for (int i = 0; i < rank; ++i) {
      if (dims[i] != other.dims[i]) return false;
    }
    return true;
  }
};

// Affine quantization: real = scale * (q - zero_point). One entry per tensor (axis < 0) or one per
// index along `axis` (per-channel weights). Arrays point into the model file.
struct Quantization {
  const float* scale = nullptr;
  const int32_t* zero_point = nullptr;
  int32_t count = 0;
  int32_t axis = -1;
};

struct TensorView {
  DType dtype = DType::kFloat32;
  Shape shape;
  Quantization quant;
  void* data = nullptr;

  size_t bytes() const { return static_cast<size_t>(shape.ElementCount()) * DTypeBytes(dtype); }
  template <typename T>
  T* data_as() const {
    return static_cast<T*>(data);
  }
};

}  // namespace vigil
