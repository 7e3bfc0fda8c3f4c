// HostError: the one exception type of Vigil's host tools (never used in runtime/).
// Its message is shown to the user as is, so it names what was wrong ("model.onnx: node 'conv1':
// unsupported op 'LSTM'").
#pragma once

#include <stdexcept>
#include <string>

namespace vigil {

class HostError : public std::runtime_error {
 public:
  explicit HostError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace vigil
