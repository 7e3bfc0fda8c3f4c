// The Cortex-M backend of the cross-backend harness (testing/int8/backend_harness.h): firmware for
// QEMU's mps2-an386 that runs one model on the runtime's reference kernels, built with the
// Cortex-M toolchain, and moves bytes through semihosting files.
//
//   model_runner MODEL.vgl OUTPUT_PREFIX INPUT0.bin [INPUT1.bin ...]
// writes OUTPUT_PREFIX0.bin, OUTPUT_PREFIX1.bin, ... (raw tensor bytes), or OUTPUT_PREFIX.error with
// the runtime's message.
#include <cstdio>
#include <cstring>

#include "vigil/interpreter.h"

namespace {

// Static memory, as firmware has: model file and arena in the data SRAM.
alignas(16) uint8_t model[1 << 20];
alignas(16) uint8_t arena[(3 << 20) - (1 << 19)];
vigil::Interpreter interpreter;

size_t ReadFile(const char* path, uint8_t* buffer, size_t capacity) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return 0;
  size_t n = std::fread(buffer, 1, capacity, f);
  std::fclose(f);
  return n;
}

bool WriteFile(const char* path, const void* data, size_t size) {
  FILE* f = std::fopen(path, "wb");
  if (!f) return false;
  bool ok = std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

int Fail(const char* prefix, const char* message) {
  char path[256];
  std::snprintf(path, sizeof(path), "%s.error", prefix);
  WriteFile(path, message, std::strlen(message));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const char* prefix = argv[2];
  const size_t model_bytes = ReadFile(argv[1], model, sizeof(model));
  if (model_bytes == 0 || model_bytes == sizeof(model))
    return Fail(prefix, "cannot read the model (or it is over 1 MiB)");
  if (interpreter.Init(model, model_bytes, arena, sizeof(arena)) != vigil::Status::kOk)
    return Fail(prefix, interpreter.error());
  if (argc - 3 != interpreter.input_count()) return Fail(prefix, "wrong number of inputs");
  for (int i = 0; i < interpreter.input_count(); ++i) {
    vigil::TensorView in = interpreter.input(i);
    if (ReadFile(argv[3 + i], in.data_as<uint8_t>(), in.bytes() + 1) != in.bytes())
      return Fail(prefix, "input has the wrong size");
  }
  if (interpreter.Invoke() != vigil::Status::kOk) return Fail(prefix, interpreter.error());
  for (int k = 0; k < interpreter.output_count(); ++k) {
    char path[256];
    std::snprintf(path, sizeof(path), "%s%d.bin", prefix, k);
    vigil::TensorView out = interpreter.output(k);
    if (!WriteFile(path, out.data, out.bytes())) return Fail(prefix, "cannot write an output");
  }
  return 0;
}
