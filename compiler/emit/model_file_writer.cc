#include "compiler/emit/model_file_writer.h"

#include <memory>

#include "core/crc32.h"
#include "core/model_file.h"
#include "host/aligned_buffer.h"
#include "host/error.h"
#include "vigil/interpreter.h"

namespace vigil {
namespace {

// Generous room for the ops' persistent data while measuring it (lookup tables and per-channel
// multipliers are kilobytes).
constexpr size_t kPlanningHeadroomBytes = size_t{64} << 20;

}  // namespace

std::vector<uint8_t> SerializeModel(const schema::ModelT& model) {
  flatbuffers::FlatBufferBuilder builder(1 << 16);
  schema::FinishModelBuffer(builder, schema::Model::Pack(builder, &model));
  const uint8_t* payload = builder.GetBufferPointer();
  const uint32_t payload_bytes = builder.GetSize();
  std::vector<uint8_t> file(kModelHeaderBytes + payload_bytes);
  std::copy(kModelMagic, kModelMagic + 4, file.begin());
  WriteLe32(file.data() + 4, kModelHeaderVersion);
  WriteLe32(file.data() + 8, payload_bytes);
  WriteLe32(file.data() + 12, Crc32(payload, payload_bytes));
  std::copy(payload, payload + payload_bytes, file.begin() + kModelHeaderBytes);
  return file;
}

std::vector<uint8_t> BuildModelFile(schema::ModelT& model, MemoryPlanStats* stats) {
  model.format_version = kModelFormatVersion;
  MemoryPlanStats plan = PlanMemory(model);
  if (stats) *stats = plan;
  model.arena_bytes = model.activation_bytes;

  auto interpreter = std::make_unique<Interpreter>();
  {
    AlignedBuffer file(SerializeModel(model));
    AlignedBuffer arena(static_cast<size_t>(model.activation_bytes) + kPlanningHeadroomBytes);
    if (interpreter->InitForPlanning(file.data(), file.size(), arena.data(), arena.size()) !=
        Status::kOk) {
      throw HostError(std::string("the runtime rejects the compiled model: ") +
                      interpreter->error());
    }
    model.arena_bytes = interpreter->arena_bytes_required();
  }
  std::vector<uint8_t> bytes = SerializeModel(model);
  AlignedBuffer file(bytes);
  AlignedBuffer arena(static_cast<size_t>(model.arena_bytes));
  if (interpreter->Init(file.data(), file.size(), arena.data(), arena.size()) != Status::kOk) {
    throw HostError(std::string("the finalised model does not initialise: ") +
                    interpreter->error());
  }
  return bytes;
}

}  // namespace vigil
