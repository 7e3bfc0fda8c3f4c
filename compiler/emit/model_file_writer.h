// Writes a lowered model (the FlatBuffers object tree of runtime/schema/vgl.fbs) as a .vgl file:
// plans memory, asks the runtime itself how much persistent memory the ops' Prepare needs, and
// wraps the FlatBuffer in the checksummed header (runtime/core/model_file.h).
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/plan/memory_planner.h"
#include "vgl_generated.h"

namespace vigil {

// Packs and wraps the model as is (no planning): for tests that build deliberately broken files.
std::vector<uint8_t> SerializeModel(const schema::ModelT& model);

// Plans, measures, finalises and verifies: the result passes Interpreter::Init with an arena of
// exactly model.arena_bytes. Throws HostError with the runtime's message when an op rejects it.
std::vector<uint8_t> BuildModelFile(schema::ModelT& model, MemoryPlanStats* stats = nullptr);

}  // namespace vigil
