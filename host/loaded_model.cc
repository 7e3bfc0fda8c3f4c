#include "host/loaded_model.h"

#include <cmath>
#include <cstring>

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil {
namespace {

std::string ShapeText(const Shape& s) {
  std::string out = "[";
  for (int i = 0; i < s.rank; ++i)
    out += (i ? ", " : "") + std::to_string(s.dims[i]);
  return out + "]";
}

}  // namespace

LoadedModel LoadedModel::FromFile(const std::string& path) {
  return FromBytes(ReadFileBytes(path, kModelFile), path);
}

LoadedModel LoadedModel::FromBytes(std::span<const uint8_t> bytes, const std::string& name) {
  LoadedModel m;
  m.name_ = name;
  m.file_ = AlignedBuffer(bytes);
  size_t arena_bytes = 0;
  char message[VIGIL_ERROR_MESSAGE_BYTES] = {};
  if (VerifyModel(m.file_.data(), m.file_.size(), message, sizeof(message)) != Status::kOk) {
    throw HostError(name + ": " + message);
  }
  (void)ReadArenaBytes(m.file_.data(), m.file_.size(), &arena_bytes);
  try {
    m.arena_ = AlignedBuffer(arena_bytes);
  } catch (const HostError& e) {
    throw HostError(name + ": arena " + e.what());
  }
  m.interpreter_ = std::make_unique<Interpreter>();
  if (m.interpreter_->Init(m.file_.data(), m.file_.size(), m.arena_.data(), m.arena_.size()) !=
      Status::kOk) {
    throw HostError(name + ": " + m.interpreter_->error());
  }
  return m;
}

void LoadedModel::SetInput(int index, std::span<const float> values) {
  TensorView in = interpreter_->input(index);
  if (in.data == nullptr) throw HostError(name_ + ": no input " + std::to_string(index));
  if (static_cast<int64_t>(values.size()) != in.shape.ElementCount()) {
    throw HostError(name_ + ": input '" + interpreter_->input_name(index) + "' takes " +
                    std::to_string(in.shape.ElementCount()) + " values (shape " +
                    ShapeText(in.shape) + "), got " + std::to_string(values.size()));
  }
  if (values.empty()) return;  // a tensor with a zero dimension has no bytes to copy
  if (in.dtype == DType::kFloat32) {
    std::memcpy(in.data, values.data(), values.size() * sizeof(float));
  } else if (in.dtype == DType::kInt8) {
    int8_t* q = in.data_as<int8_t>();
    for (size_t i = 0; i < values.size(); ++i) {
      long v = std::lround(values[i] / in.quant.scale[0]) + in.quant.zero_point[0];
      q[i] = static_cast<int8_t>(v < -128 ? -128 : (v > 127 ? 127 : v));
    }
  } else {
    throw HostError(name_ + ": input '" + interpreter_->input_name(index) + "' is " +
                    DTypeName(in.dtype));
  }
}

std::vector<float> LoadedModel::Output(int index) const {
  TensorView out = interpreter_->output(index);
  if (out.data == nullptr) throw HostError(name_ + ": no output " + std::to_string(index));
  std::vector<float> values(static_cast<size_t>(out.shape.ElementCount()));
  if (values.empty()) return values;
  if (out.dtype == DType::kFloat32) {
    std::memcpy(values.data(), out.data, values.size() * sizeof(float));
  } else if (out.dtype == DType::kInt8) {
    const int8_t* q = out.data_as<const int8_t>();
    for (size_t i = 0; i < values.size(); ++i)
      values[i] = out.quant.scale[0] * static_cast<float>(q[i] - out.quant.zero_point[0]);
  } else {
    throw HostError(name_ + ": output '" + interpreter_->output_name(index) + "' is " +
                    DTypeName(out.dtype));
  }
  return values;
}

void LoadedModel::Invoke() {
  if (interpreter_->Invoke() != Status::kOk) throw HostError(name_ + ": " + interpreter_->error());
}

}  // namespace vigil
