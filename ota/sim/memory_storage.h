// MemoryStorage: device storage in RAM with honest crash semantics, for the power-cut simulator
// (after MCUboot's flash simulator) and for fault injection in tests.
//
// Contract
//  - Reads see every write so far. Sync(region) makes that region's writes durable.
//  - ArmPowerCut(k) makes the k-th counted operation from now (write, sync or erase) throw
//    PowerCut before it happens. Crash() then models the power coming back: each write or erase
//    not yet synced is independently kept, lost, or torn (only a random prefix of it lands),
//    chosen by the seeded generator. What a Sync made durable is never lost.
//  - SetWriteLimit(region, bytes) makes writes to that region fail with ENOSPC's message once that
//    many more bytes have been written (a full disk), as DirectoryStorage reports it: a HostError.
//  - Preserve is atomic (a rename on a folder): before the cut it did not happen, after it both the
//    copy and the erased region are durable.
//  - PowerCut is not a HostError, so no code under test can mistake it for a recoverable error.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ota/device/storage.h"

namespace vigil::ota::sim {

struct PowerCut {
  int64_t operation;
};

class MemoryStorage : public Storage {
 public:
  MemoryStorage(DeviceLayout layout, uint64_t seed);

  void ArmPowerCut(int64_t operation);  // 0 disarms
  void Crash();
  void SetWriteLimit(const std::string& region, std::optional<int64_t> bytes) {
    write_limits_[region] = bytes;
  }
  void Reseed(uint64_t seed) { random_.seed(seed); }
  // Operations since the last ArmPowerCut (or construction).
  int64_t operations_since_arm() const { return since_arm_; }
  std::vector<std::string> PreservedNames() override;
  std::optional<std::vector<uint8_t>> ReadPreserved(const std::string& name) override;

 protected:
  void DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) override;
  void DoWrite(const std::string& region, uint64_t offset, std::span<const uint8_t> bytes) override;
  void DoSync(const std::string& region) override;
  void DoErase(const std::string& region) override;
  void DoPreserve(const std::string& region, const std::string& name) override;
  void BeforeOperation() override;

 private:
  struct Pending {
    bool erase = false;
    uint64_t offset = 0;
    std::vector<uint8_t> bytes;
  };
  struct Region {
    std::vector<uint8_t> durable, current;
    std::vector<Pending> pending;
  };
  static void Apply(std::vector<uint8_t>& image, const Pending& op, size_t keep_bytes);

  std::map<std::string, Region> regions_;
  std::map<std::string, std::vector<uint8_t>> preserved_;
  std::mt19937_64 random_;
  int64_t since_arm_ = 0, cut_at_ = 0;
  std::map<std::string, std::optional<int64_t>> write_limits_;
};

}  // namespace vigil::ota::sim
