// NumPy .npy files (format versions 1.0-3.0), the tensor format of every Vigil command line.
//
// Reads little-endian C-order arrays of float32/float64/int8/uint8/int16/int32/int64/bool and writes
// them back (atomically). Anything else (Fortran order, big-endian, object arrays, a header that
// does not match the data size) is rejected with a HostError that names the file and the problem.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil {

enum class NpyType : uint8_t { kFloat32, kFloat64, kInt8, kUInt8, kInt16, kInt32, kInt64, kBool };

const char* NpyTypeDescr(NpyType type);  // "<f4", "|i1", ...
size_t NpyTypeBytes(NpyType type);

struct NpyArray {
  NpyType type = NpyType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;  // C order, little-endian

  int64_t ElementCount() const;
  // Converts every element to float (exact for all integer types up to 2^24).
  std::vector<float> ToFloat() const;
  static NpyArray FromFloat(std::span<const float> values, std::vector<int64_t> shape);
  static NpyArray FromBytes(NpyType type, std::span<const uint8_t> bytes,
                            std::vector<int64_t> shape);
};

NpyArray ParseNpy(std::span<const uint8_t> bytes, const std::string& name_for_errors);
NpyArray ReadNpy(const std::string& path);
std::vector<uint8_t> SerializeNpy(const NpyArray& array);
void WriteNpy(const std::string& path, const NpyArray& array);

std::string ShapeToString(std::span<const int64_t> shape);  // "[1, 3, 256]"

}  // namespace vigil
