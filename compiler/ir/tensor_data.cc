#include "compiler/ir/tensor_data.h"

#include <cstring>

#include "host/error.h"

namespace vigil::ir {

const char* ElementTypeName(ElementType type) {
  switch (type) {
    case ElementType::kFloat32: return "float32";
    case ElementType::kFloat64: return "float64";
    case ElementType::kInt8: return "int8";
    case ElementType::kUInt8: return "uint8";
    case ElementType::kInt32: return "int32";
    case ElementType::kInt64: return "int64";
    case ElementType::kBool: return "bool";
    case ElementType::kUnsupported: return "unsupported";
  }
  return "?";
}

size_t ElementBytes(ElementType type) {
  switch (type) {
    case ElementType::kFloat64:
    case ElementType::kInt64: return 8;
    case ElementType::kFloat32:
    case ElementType::kInt32: return 4;
    default: return 1;
  }
}

int64_t ElementCount(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

int64_t TensorData::ElementCount() const {
  return ir::ElementCount(shape);
}

std::vector<double> TensorData::ToDoubles() const {
  const size_t n = static_cast<size_t>(ElementCount());
  std::vector<double> out(n);
  const uint8_t* p = bytes.data();
  for (size_t i = 0; i < n; ++i) {
    switch (type) {
      case ElementType::kFloat32: {
        float v;
        std::memcpy(&v, p + 4 * i, 4);
        out[i] = v;
        break;
      }
      case ElementType::kFloat64: std::memcpy(&out[i], p + 8 * i, 8); break;
      case ElementType::kInt8: out[i] = static_cast<int8_t>(p[i]); break;
      case ElementType::kUInt8: out[i] = p[i]; break;
      case ElementType::kBool: out[i] = p[i] ? 1 : 0; break;
      case ElementType::kInt32: {
        int32_t v;
        std::memcpy(&v, p + 4 * i, 4);
        out[i] = v;
        break;
      }
      case ElementType::kInt64: {
        int64_t v;
        std::memcpy(&v, p + 8 * i, 8);
        out[i] = static_cast<double>(v);
        break;
      }
      case ElementType::kUnsupported: throw HostError("constant of an unsupported element type");
    }
  }
  return out;
}

std::vector<int64_t> TensorData::ToInt64s() const {
  if (type == ElementType::kInt64) {
    std::vector<int64_t> out(static_cast<size_t>(ElementCount()));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * 8);
    return out;
  }
  std::vector<double> d = ToDoubles();
  return std::vector<int64_t>(d.begin(), d.end());
}

std::vector<float> TensorData::ToFloats() const {
  std::vector<double> d = ToDoubles();
  return std::vector<float>(d.begin(), d.end());
}

TensorData TensorData::FromDoubles(ElementType type, std::vector<int64_t> shape,
                                   const std::vector<double>& values) {
  TensorData t;
  t.type = type;
  t.shape = std::move(shape);
  if (static_cast<int64_t>(values.size()) != t.ElementCount())
    throw HostError("constant: value count does not match shape");
  const size_t w = ElementBytes(type);
  t.bytes.resize(values.size() * w);
  for (size_t i = 0; i < values.size(); ++i) {
    uint8_t* p = t.bytes.data() + i * w;
    switch (type) {
      case ElementType::kFloat32: {
        float v = static_cast<float>(values[i]);
        std::memcpy(p, &v, 4);
        break;
      }
      case ElementType::kFloat64: std::memcpy(p, &values[i], 8); break;
      case ElementType::kInt8: *p = static_cast<uint8_t>(static_cast<int8_t>(values[i])); break;
      case ElementType::kUInt8: *p = static_cast<uint8_t>(values[i]); break;
      case ElementType::kBool: *p = values[i] != 0; break;
      case ElementType::kInt32: {
        int32_t v = static_cast<int32_t>(values[i]);
        std::memcpy(p, &v, 4);
        break;
      }
      case ElementType::kInt64: {
        int64_t v = static_cast<int64_t>(values[i]);
        std::memcpy(p, &v, 8);
        break;
      }
      case ElementType::kUnsupported: throw HostError("constant of an unsupported element type");
    }
  }
  return t;
}

TensorData TensorData::FromFloats(std::vector<int64_t> shape, const std::vector<float>& values) {
  TensorData t;
  t.type = ElementType::kFloat32;
  t.shape = std::move(shape);
  if (static_cast<int64_t>(values.size()) != t.ElementCount())
    throw HostError("constant: value count does not match shape");
  t.bytes.resize(values.size() * 4);
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

TensorData TensorData::FromInt64s(std::vector<int64_t> shape, const std::vector<int64_t>& values) {
  TensorData t;
  t.type = ElementType::kInt64;
  t.shape = std::move(shape);
  if (static_cast<int64_t>(values.size()) != t.ElementCount())
    throw HostError("constant: value count does not match shape");
  t.bytes.resize(values.size() * 8);
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

}  // namespace vigil::ir
