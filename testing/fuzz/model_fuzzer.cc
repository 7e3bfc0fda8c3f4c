// libFuzzer target for the model file's trust boundary (MCUboot's habit: verify once, at the door,
// and fuzz the door). Each input is a candidate .vgl file:
//   VerifyModel -> if accepted: Init with an arena of the declared size (skipped above a cap) ->
//   fill the inputs -> Invoke -> read the outputs.
// ASan and UBSan (the 'fuzz' preset) turn any out-of-range read, overflow or undefined conversion
// into a crash. Seeds: vigil_model_fuzz_seeds writes every golden model of testing/golden/.
//
// A random mutation almost always breaks the CRC-32, which would keep the search at the door. So a
// custom mutator rewrites the header's payload size and CRC after most mutations (the input stays a
// complete, reproducible file) and leaves one in eight as mutated, to keep the container checks
// themselves under test.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

#include "core/crc32.h"
#include "core/model_file.h"
#include "host/aligned_buffer.h"
#include "vigil/interpreter.h"

namespace {

// Larger arenas are legal but only slow the search down: the kernels' loops are bounded by tensor
// sizes, which the arena bounds, so a small cap keeps each execution in milliseconds.
constexpr size_t kArenaCapBytes = size_t{256} << 10;

// Deterministic input values: small integers and halves of both signs, in every dtype.
void FillInput(const vigil::TensorView& t) {
  const int64_t n = t.shape.ElementCount();
  for (int64_t i = 0; i < n; ++i) {
    const int32_t k = static_cast<int32_t>(i % 11) - 5;
    if (t.dtype == vigil::DType::kFloat32) {
      t.data_as<float>()[i] = 0.5f * static_cast<float>(k);
    } else if (t.dtype == vigil::DType::kInt32) {
      t.data_as<int32_t>()[i] = k;
    } else {
      t.data_as<int8_t>()[i] = static_cast<int8_t>(k * 23);
    }
  }
}

// Reads every output byte, so a view pointing outside the arena faults under ASan.
uint8_t Checksum(const vigil::TensorView& t) {
  uint8_t sum = 0;
  const uint8_t* p = t.data_as<const uint8_t>();
  for (size_t i = 0; i < t.bytes(); ++i)
    sum = static_cast<uint8_t>(sum + p[i]);
  return sum;
}

}  // namespace

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  size = LLVMFuzzerMutate(data, size, max_size);
  if (size >= vigil::kModelHeaderBytes && seed % 8 != 0) {
    const size_t payload = size - vigil::kModelHeaderBytes;
    vigil::WriteLe32(data + 8, static_cast<uint32_t>(payload));
    vigil::WriteLe32(data + 12, vigil::Crc32(data + vigil::kModelHeaderBytes, payload));
  }
  return size;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The runtime requires a 16-byte aligned model; libFuzzer's buffer promises no alignment.
  vigil::AlignedBuffer file(std::span<const uint8_t>(data, size));
  char message[VIGIL_ERROR_MESSAGE_BYTES];
  if (vigil::VerifyModel(file.data(), file.size(), message, sizeof(message)) != vigil::Status::kOk)
    return 0;
  size_t arena_bytes = 0;
  if (vigil::ReadArenaBytes(file.data(), file.size(), &arena_bytes) != vigil::Status::kOk)
    __builtin_trap();
  if (arena_bytes > kArenaCapBytes) return 0;
  vigil::AlignedBuffer arena(arena_bytes);
  auto interpreter = std::make_unique<vigil::Interpreter>();
  if (interpreter->Init(file.data(), file.size(), arena.data(), arena.size()) != vigil::Status::kOk)
    return 0;
  for (int i = 0; i < interpreter->input_count(); ++i)
    FillInput(interpreter->input(i));
  if (interpreter->Invoke() != vigil::Status::kOk) return 0;
  volatile uint8_t sink = 0;
  for (int i = 0; i < interpreter->output_count(); ++i)
    sink = static_cast<uint8_t>(sink + Checksum(interpreter->output(i)));
  return 0;
}
