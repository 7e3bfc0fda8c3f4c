// Atomic file writes: the whole new content or the old file, never half of one.
// Write to a temporary file in the same directory, fsync it, rename it over the target, fsync the
// directory. Throws HostError naming the path on any failure and removes the temporary file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil {

void WriteFileAtomic(const std::string& path, std::span<const uint8_t> bytes);
void WriteFileAtomic(const std::string& path, const std::string& text);

// Reads a whole file; throws HostError naming the path when it cannot.
std::vector<uint8_t> ReadFileBytes(const std::string& path);
std::string ReadFileText(const std::string& path);

}  // namespace vigil
