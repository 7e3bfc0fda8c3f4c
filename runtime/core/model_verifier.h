// The trust boundary for model files (MCUboot's habit: verify once, at the door).
//
// VerifyModelFile checks, in this order, and stops at the first failure with a message that names
// what is wrong:
//   1. container: size, magic, header version, payload size, CRC-32, 16-byte alignment;
//   2. FlatBuffers structure (every offset and vector inside the buffer);
//   3. semantics: format version, tensor shapes/dtypes/quantization, constant buffers inside the
//      constant data and aligned, arena offsets inside the plan, op codes known to this build, op
//      arity and parameter types, producers before consumers, and that no two tensors live at the
//      same time share arena bytes (except an output written in place over its dying input 0
//      where the op allows it).
// After it passes, the runtime reads the file without further range checks; kernels' Prepare
// then checks shapes and types per op.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vgl_generated.h"
#include "vigil/status.h"

namespace vigil {

// Formats into a caller's fixed buffer (no heap).
struct MessageBuffer {
  char* text;
  size_t size;
  void Format(const char* format, ...) __attribute__((format(printf, 2, 3)));
};

// On success *model points at the verified root table.
Status VerifyModelFile(const uint8_t* file, size_t file_bytes, const schema::Model** model,
                       MessageBuffer message);

// A tensor's rank. FlatBuffers writes an empty vector as an absent one, so a tensor without a
// shape vector is a scalar (rank 0), as ONNX scalars and the result of a 1-d MatMul are.
inline uint32_t TensorRank(const schema::Tensor& tensor) {
  return tensor.shape() ? tensor.shape()->size() : 0;
}

// Bytes a tensor occupies (elements x dtype size); 0 when a dimension is negative.
uint64_t TensorBytes(const schema::Tensor& tensor);

}  // namespace vigil
