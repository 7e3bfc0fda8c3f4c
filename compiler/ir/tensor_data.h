// TensorData: the value of a constant in the compiler (an ONNX initializer or a folded result), in
// any element type ONNX models carry at compile time. Shape arithmetic (int64) and weights (float)
// both live here; only float32 and int8/int32 reach the model file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::ir {

enum class ElementType : uint8_t {
  kFloat32,
  kFloat64,
  kInt8,
  kUInt8,
  kInt32,
  kInt64,
  kBool,
  kUnsupported
};

const char* ElementTypeName(ElementType type);
size_t ElementBytes(ElementType type);

struct TensorData {
  ElementType type = ElementType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;  // row-major, little-endian

  int64_t ElementCount() const;
  // Every element converted (exactly, for integers up to 2^53).
  std::vector<double> ToDoubles() const;
  std::vector<int64_t> ToInt64s() const;
  std::vector<float> ToFloats() const;

  static TensorData FromDoubles(ElementType type, std::vector<int64_t> shape,
                                const std::vector<double>& values);
  static TensorData FromFloats(std::vector<int64_t> shape, const std::vector<float>& values);
  static TensorData FromInt64s(std::vector<int64_t> shape, const std::vector<int64_t>& values);
};

int64_t ElementCount(const std::vector<int64_t>& shape);
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace vigil::ir
