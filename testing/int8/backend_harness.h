// The cross-backend harness: every backend (the portable reference kernels today; x86 SIMD,
// Cortex-M under QEMU and CUDA as they arrive) runs the same models, and each must reproduce the
// independent NumPy reference of docs/int8_spec.md bit for bit (ggml's test-backend-ops habit).
//
// A backend plugs in by implementing Backend and adding itself to AvailableBackends() (skipping
// itself when its machine is absent: no GPU, no QEMU).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/npy.h"

namespace vigil::testing {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // Runs a .vgl on inputs given in the graph inputs' own dtypes; returns each output's raw bytes.
  // Throws HostError with the backend's message on failure.
  virtual std::vector<std::vector<uint8_t>> Run(const std::vector<uint8_t>& model,
                                                const std::vector<NpyArray>& inputs) = 0;
};

std::vector<std::unique_ptr<Backend>> AvailableBackends();

// The golden outputs of the NumPy reference (testing/int8_reference/run_model.py), as raw bytes.
std::vector<std::vector<uint8_t>> NumpyReference(const std::vector<uint8_t>& model,
                                                 const std::vector<NpyArray>& inputs,
                                                 size_t outputs);

}  // namespace vigil::testing
