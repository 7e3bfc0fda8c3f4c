// LoadedModel: a model file read into aligned memory, verified and initialised over its own arena,
// for host tools and applications (firmware uses the Interpreter directly with static buffers).
//
//   LoadedModel model = LoadedModel::FromFile("beat_classifier.vgl");
//   model.SetInput(0, samples);             // checks element count and dtype
//   model.Invoke();
//   std::vector<float> scores = model.Output(0);
//
// Every failure throws HostError with the runtime's own message ("arena too small: ...").
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "host/aligned_buffer.h"
#include "vigil/interpreter.h"

namespace vigil {

class LoadedModel {
 public:
  static LoadedModel FromFile(const std::string& path);
  static LoadedModel FromBytes(std::span<const uint8_t> bytes, const std::string& name = "model");

  Interpreter& interpreter() { return *interpreter_; }
  const Interpreter& interpreter() const { return *interpreter_; }
  const schema::Model& model() const { return *interpreter_->model(); }
  size_t file_bytes() const { return file_.size(); }
  size_t arena_bytes() const { return arena_.size(); }
  const std::string& name() const { return name_; }

  // Float inputs and outputs; an int8 boundary tensor is quantized/dequantized with its parameters.
  void SetInput(int index, std::span<const float> values);
  std::vector<float> Output(int index) const;
  void Invoke();

 private:
  LoadedModel() = default;
  std::string name_;
  AlignedBuffer file_, arena_;
  std::unique_ptr<Interpreter> interpreter_;
};

}  // namespace vigil
