// `vigil compile --emit c`: the model as C++ source for firmware that has no file system. The model
// bytes become an aligned const array in flash and the arena size a constexpr, so the firmware can
// declare `alignas(16) static uint8_t arena[name_arena_bytes];` and never guess. The output is a
// header (C++17 inline variables), so several translation units may include it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

// Returns the source text; `symbol` is a C identifier (the model's name, sanitised).
std::string EmitCSource(const std::vector<uint8_t>& model_file, uint64_t arena_bytes,
                        const std::string& symbol, const std::string& provenance);
std::string SanitizeSymbol(const std::string& name);

}  // namespace vigil
