// Valid and deliberately broken model files for the verifier tests: a planned model to start from
// (the ECG CNN of testing/golden, 7 ops, one in-place Reshape), ways to re-serialise it after an
// edit with the header and CRC-32 recomputed (so the edit reaches the checks behind the CRC), and
// the verifier's verdict with its message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/crc32.h"
#include "core/model_file.h"
#include "host/aligned_buffer.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/models/ecg_cnn_golden.h"
#include "vgl_generated.h"
#include "vigil/interpreter.h"

namespace vigil::testing {

struct Verdict {
  Status status;
  std::string message;
};

// The verifier's verdict on `bytes`, loaded at a 16-byte aligned address.
inline Verdict Verify(const std::vector<uint8_t>& bytes) {
  AlignedBuffer file(bytes);
  char message[256] = "";
  Status status = VerifyModel(file.data(), file.size(), message, sizeof(message));
  return {status, message};
}

// The ECG CNN of testing/golden as a planned, valid file.
inline std::vector<uint8_t> ValidModelFile() {
  golden::GoldenModel m = golden::EcgCnnModel(golden::kEcgCnnCases[0]);
  return m.model->Build();
}

// A fresh, editable copy of the valid model (plan included).
inline std::unique_ptr<schema::ModelT> ValidModel() {
  std::vector<uint8_t> file = ValidModelFile();
  return std::unique_ptr<schema::ModelT>(
      schema::GetModel(file.data() + kModelHeaderBytes)->UnPack());
}

// Header (magic, version, size, CRC-32) in front of `payload`.
inline std::vector<uint8_t> WrapPayload(const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> file(kModelHeaderBytes + payload.size());
  std::copy(kModelMagic, kModelMagic + 4, file.begin());
  WriteLe32(file.data() + 4, kModelHeaderVersion);
  WriteLe32(file.data() + 8, static_cast<uint32_t>(payload.size()));
  WriteLe32(file.data() + 12, Crc32(payload.data(), payload.size()));
  std::copy(payload.begin(), payload.end(), file.begin() + kModelHeaderBytes);
  return file;
}

// The FlatBuffer of `model` with every default written out, so a test can edit fields in place.
inline std::vector<uint8_t> PayloadWithDefaults(const schema::ModelT& model) {
  flatbuffers::FlatBufferBuilder builder;
  builder.ForceDefaults(true);
  schema::FinishModelBuffer(builder, schema::Model::Pack(builder, &model));
  return std::vector<uint8_t>(builder.GetBufferPointer(),
                              builder.GetBufferPointer() + builder.GetSize());
}

// Address of a scalar field of a table inside a payload (generated tables inherit privately from
// flatbuffers::Table, which has no data of its own, so the cast reads the same bytes).
template <typename TableType>
uint8_t* FieldAddress(const TableType* table, flatbuffers::voffset_t field) {
  auto* raw = reinterpret_cast<const flatbuffers::Table*>(table);
  return const_cast<uint8_t*>(raw->GetAddressOf(field));
}

}  // namespace vigil::testing
