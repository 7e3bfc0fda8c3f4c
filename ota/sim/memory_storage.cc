#include "ota/sim/memory_storage.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "host/error.h"

namespace vigil::ota::sim {

MemoryStorage::MemoryStorage(DeviceLayout layout, uint64_t seed) : Storage(layout), random_(seed) {
  for (const DeviceLayout::Region& r : layout.Regions()) {
    Region& region = regions_[r.name];
    region.durable.assign(r.capacity, 0xFF);
    region.current = region.durable;
  }
}

void MemoryStorage::ArmPowerCut(int64_t operation) {
  since_arm_ = 0;
  cut_at_ = operation;
}

void MemoryStorage::BeforeOperation() {
  ++since_arm_;
  if (cut_at_ > 0 && since_arm_ == cut_at_) {
    cut_at_ = 0;
    throw PowerCut{since_arm_};
  }
}

void MemoryStorage::Apply(std::vector<uint8_t>& image, const Pending& op, size_t keep_bytes) {
  if (op.erase) {
    std::fill(image.begin(),
              image.begin() + static_cast<std::ptrdiff_t>(std::min(keep_bytes, image.size())),
              0xFF);
  } else if (size_t n = std::min(keep_bytes, op.bytes.size()); n > 0) {
    std::memcpy(image.data() + op.offset, op.bytes.data(),
                n);  // an empty write has no data pointer
  }
}

void MemoryStorage::DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) {
  if (!out.empty())
    std::memcpy(out.data(), regions_.at(region).current.data() + offset, out.size());
}

void MemoryStorage::DoWrite(const std::string& region, uint64_t offset,
                            std::span<const uint8_t> bytes) {
  std::optional<int64_t>& limit = write_limits_[region];
  if (limit) {
    if (static_cast<int64_t>(bytes.size()) > *limit)
      throw HostError("cannot write " + region + ": " + std::strerror(ENOSPC));
    *limit -= static_cast<int64_t>(bytes.size());
  }
  Region& r = regions_.at(region);
  Pending op{false, offset, std::vector<uint8_t>(bytes.begin(), bytes.end())};
  Apply(r.current, op, op.bytes.size());
  r.pending.push_back(std::move(op));
}

void MemoryStorage::DoSync(const std::string& region) {
  Region& r = regions_.at(region);
  for (const Pending& op : r.pending)
    Apply(r.durable, op, op.erase ? r.durable.size() : op.bytes.size());
  r.pending.clear();
}

void MemoryStorage::DoErase(const std::string& region) {
  Region& r = regions_.at(region);
  Pending op{true, 0, {}};
  Apply(r.current, op, r.current.size());
  r.pending.push_back(std::move(op));
}

void MemoryStorage::DoPreserve(const std::string& region, const std::string& name) {
  Region& r = regions_.at(region);
  preserved_[name].assign(
      r.current.begin(),
      r.current.begin() + static_cast<std::ptrdiff_t>(LengthBeforeErasedTail(r.current)));
  std::fill(r.current.begin(), r.current.end(), 0xFF);
  r.durable = r.current;
  r.pending.clear();
}

std::vector<std::string> MemoryStorage::PreservedNames() {
  std::vector<std::string> names;
  for (const auto& [name, content] : preserved_)
    names.push_back(name);
  return names;
}

std::optional<std::vector<uint8_t>> MemoryStorage::ReadPreserved(const std::string& name) {
  auto found = preserved_.find(name);
  if (found == preserved_.end()) return std::nullopt;
  return found->second;
}

void MemoryStorage::Crash() {
  for (auto& [name, r] : regions_) {
    for (const Pending& op : r.pending) {
      size_t size = op.erase ? r.durable.size() : op.bytes.size();
      switch (random_() % 3) {
        case 0: Apply(r.durable, op, size); break;                          // landed
        case 1: break;                                                      // lost
        default: Apply(r.durable, op, size ? random_() % size : 0); break;  // torn
      }
    }
    r.pending.clear();
    r.current = r.durable;
  }
  cut_at_ = 0;
}

}  // namespace vigil::ota::sim
