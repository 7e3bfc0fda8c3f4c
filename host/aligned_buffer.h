// AlignedBuffer: heap bytes at a 16-byte aligned address, as the runtime requires of model files
// and arenas on the host (firmware uses static arrays instead). An allocation that fails throws
// HostError naming the bytes asked for, so no caller hands the runtime a null arena.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>

#include "host/error.h"

namespace vigil {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t size) : size_(size), data_(Allocate(size)) {}
  explicit AlignedBuffer(std::span<const uint8_t> bytes) : AlignedBuffer(bytes.size()) {
    if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
  }

  uint8_t* data() { return data_.get(); }
  const uint8_t* data() const { return data_.get(); }
  size_t size() const { return size_; }
  std::span<const uint8_t> span() const { return {data_.get(), size_}; }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  static uint8_t* Allocate(size_t size) {
    // aligned_alloc needs a size that is a multiple of the alignment; round up, at least 16
    // (sizes within 15 of SIZE_MAX would round to 0).
    uint8_t* data = nullptr;
    if (size <= SIZE_MAX - 15) {
      size_t rounded = (size + 15) / 16 * 16;
      data = static_cast<uint8_t*>(std::aligned_alloc(16, rounded ? rounded : 16));
    }
    if (!data)
      throw HostError("allocation of " + std::to_string(size) + " bytes failed (out of memory)");
    return data;
  }
  size_t size_ = 0;
  std::unique_ptr<uint8_t[], Free> data_;
};

// Reads a whole file into an aligned buffer (throws HostError naming the path).
AlignedBuffer ReadFileAligned(const std::string& path);

}  // namespace vigil
