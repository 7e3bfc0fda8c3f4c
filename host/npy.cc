#include "host/npy.h"

#include <cstring>
#include <map>
#include <sstream>

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

struct TypeInfo {
  NpyType type;
  const char* descr;
  size_t bytes;
};
constexpr TypeInfo kTypes[] = {
    {NpyType::kFloat32, "<f4", 4}, {NpyType::kFloat64, "<f8", 8}, {NpyType::kInt8, "|i1", 1},
    {NpyType::kUInt8, "|u1", 1},   {NpyType::kInt16, "<i2", 2},   {NpyType::kInt32, "<i4", 4},
    {NpyType::kInt64, "<i8", 8},   {NpyType::kBool, "|b1", 1},
};

const TypeInfo& Info(NpyType type) {
  for (const TypeInfo& info : kTypes) {
    if (info.type == type) return info;
  }
  throw HostError("unknown npy type");
}

// Parses the Python-literal header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }
std::map<std::string, std::string> ParseHeaderDict(const std::string& text,
                                                   const std::string& name) {
  std::map<std::string, std::string> out;
  size_t i = text.find('{');
  size_t end = text.rfind('}');
  if (i == std::string::npos || end == std::string::npos || end < i) {
    throw HostError(name + ": malformed .npy header (no dictionary)");
  }
  ++i;
  while (i < end) {
    while (i < end && (text[i] == ' ' || text[i] == ','))
      ++i;
    if (i >= end) break;
    if (text[i] != '\'' && text[i] != '"') throw HostError(name + ": malformed .npy header key");
    char quote = text[i++];
    size_t key_end = text.find(quote, i);
    if (key_end == std::string::npos || key_end > end)
      throw HostError(name + ": malformed .npy header");
    std::string key = text.substr(i, key_end - i);
    i = text.find(':', key_end);
    if (i == std::string::npos || i > end) throw HostError(name + ": malformed .npy header");
    ++i;
    while (i < end && text[i] == ' ')
      ++i;
    size_t value_start = i;
    if (i < end && text[i] == '(') {
      size_t close = text.find(')', i);
      if (close == std::string::npos || close > end)
        throw HostError(name + ": malformed .npy shape");
      i = close + 1;
    } else if (i < end && (text[i] == '\'' || text[i] == '"')) {
      char q = text[i];
      size_t close = text.find(q, i + 1);
      if (close == std::string::npos || close > end)
        throw HostError(name + ": malformed .npy header");
      i = close + 1;
    } else {
      while (i < end && text[i] != ',')
        ++i;
    }
    out[key] = text.substr(value_start, i - value_start);
  }
  return out;
}

std::string Unquote(const std::string& s) {
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"')) return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

const char* NpyTypeDescr(NpyType type) {
  return Info(type).descr;
}
size_t NpyTypeBytes(NpyType type) {
  return Info(type).bytes;
}

int64_t NpyArray::ElementCount() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<float> NpyArray::ToFloat() const {
  int64_t n = ElementCount();
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* p = data.data() + i * static_cast<int64_t>(NpyTypeBytes(type));
    float v = 0;
    switch (type) {
      case NpyType::kFloat32: std::memcpy(&v, p, 4); break;
      case NpyType::kFloat64: {
        double d;
        std::memcpy(&d, p, 8);
        v = static_cast<float>(d);
        break;
      }
      case NpyType::kInt8: v = static_cast<int8_t>(*p); break;
      case NpyType::kUInt8: v = *p; break;
      case NpyType::kBool: v = *p ? 1.0f : 0.0f; break;
      case NpyType::kInt16: {
        int16_t x;
        std::memcpy(&x, p, 2);
        v = x;
        break;
      }
      case NpyType::kInt32: {
        int32_t x;
        std::memcpy(&x, p, 4);
        v = static_cast<float>(x);
        break;
      }
      case NpyType::kInt64: {
        int64_t x;
        std::memcpy(&x, p, 8);
        v = static_cast<float>(x);
        break;
      }
    }
    out[static_cast<size_t>(i)] = v;
  }
  return out;
}

NpyArray NpyArray::FromFloat(std::span<const float> values, std::vector<int64_t> shape) {
  NpyArray a;
  a.type = NpyType::kFloat32;
  a.shape = std::move(shape);
  if (a.ElementCount() != static_cast<int64_t>(values.size())) {
    throw HostError("npy: " + std::to_string(values.size()) + " values do not fill shape " +
                    ShapeToString(a.shape));
  }
  a.data.resize(values.size() * 4);
  if (!values.empty()) std::memcpy(a.data.data(), values.data(), a.data.size());
  return a;
}

NpyArray NpyArray::FromBytes(NpyType type, std::span<const uint8_t> bytes,
                             std::vector<int64_t> shape) {
  NpyArray a;
  a.type = type;
  a.shape = std::move(shape);
  if (static_cast<size_t>(a.ElementCount()) * NpyTypeBytes(type) != bytes.size()) {
    throw HostError("npy: " + std::to_string(bytes.size()) + " bytes do not fill shape " +
                    ShapeToString(a.shape));
  }
  a.data.assign(bytes.begin(), bytes.end());
  return a;
}

NpyArray ParseNpy(std::span<const uint8_t> bytes, const std::string& name) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0) {
    throw HostError(name + ": not a NumPy .npy file (bad magic)");
  }
  uint8_t major = bytes[6];
  size_t header_len = 0;
  size_t header_start = 0;
  if (major == 1) {
    header_len = bytes[8] | (bytes[9] << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw HostError(name + ": truncated .npy header");
    header_len =
        bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (static_cast<size_t>(bytes[11]) << 24);
    header_start = 12;
  } else {
    throw HostError(name + ": unsupported .npy format version " + std::to_string(major));
  }
  if (header_start + header_len > bytes.size()) throw HostError(name + ": truncated .npy header");
  std::string header(reinterpret_cast<const char*>(bytes.data() + header_start), header_len);
  auto dict = ParseHeaderDict(header, name);
  if (!dict.count("descr") || !dict.count("shape") || !dict.count("fortran_order")) {
    throw HostError(name + ": .npy header lacks descr, shape or fortran_order");
  }
  if (dict["fortran_order"].find("True") != std::string::npos) {
    throw HostError(name +
                    ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
  }
  std::string descr = Unquote(dict["descr"]);
  if (descr == "<b1") descr = "|b1";
  if (descr == "<i1") descr = "|i1";
  if (descr == "<u1") descr = "|u1";
  NpyArray out;
  bool found = false;
  for (const TypeInfo& info : kTypes) {
    if (descr == info.descr) {
      out.type = info.type;
      found = true;
    }
  }
  if (!found) throw HostError(name + ": unsupported .npy dtype '" + descr + "'");
  std::string shape_text = dict["shape"];
  for (char& c : shape_text) {
    if (c == '(' || c == ')' || c == ',') c = ' ';
  }
  std::istringstream shape_in(shape_text);
  std::string token;
  while (shape_in >> token) {
    char* end = nullptr;
    long long d = std::strtoll(token.c_str(), &end, 10);
    if (*end != '\0' || d < 0 || d > (1LL << 40))
      throw HostError(name + ": bad .npy shape '" + dict["shape"] + "'");
    out.shape.push_back(d);
  }
  size_t data_start = header_start + header_len;
  long double expected = static_cast<long double>(out.ElementCount()) * NpyTypeBytes(out.type);
  if (expected != static_cast<long double>(bytes.size() - data_start)) {
    throw HostError(name + ": .npy data is " + std::to_string(bytes.size() - data_start) +
                    " bytes but shape " + ShapeToString(out.shape) + " of " + descr + " needs " +
                    std::to_string(static_cast<long long>(expected)));
  }
  out.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(data_start), bytes.end());
  return out;
}

NpyArray ReadNpy(const std::string& path) {
  return ParseNpy(ReadFileBytes(path, kTensorFile), path);
}

std::vector<uint8_t> SerializeNpy(const NpyArray& array) {
  std::string header = std::string("{'descr': '") + NpyTypeDescr(array.type) +
                       "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape.size(); ++i) {
    header += std::to_string(array.shape[i]);
    if (array.shape.size() == 1 || i + 1 < array.shape.size()) header += ",";
    if (i + 1 < array.shape.size()) header += " ";
  }
  header += "), }";
  // Pad with spaces so the data starts at a multiple of 64 bytes, ending in '\n'.
  size_t total = 10 + header.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  header.append(padded - total, ' ');
  header += '\n';
  std::vector<uint8_t> out(kMagic, kMagic + 6);
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(header.size() & 0xff));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), array.data.begin(), array.data.end());
  return out;
}

void WriteNpy(const std::string& path, const NpyArray& array) {
  WriteFileAtomic(path, SerializeNpy(array));
}

std::string ShapeToString(std::span<const int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace vigil
