// Storage: the device's non-volatile memory as the update agent sees it, a fixed set of named
// regions, each of fixed capacity. A raw-flash driver can implement it (a region is a partition);
// here it is implemented on a directory of files (DirectoryStorage), on one raw image file
// (ImageFileStorage), and in memory with crash semantics for the power-cut simulator (ota/sim).
//
// Contract
//  - Regions: "slot-a", "slot-b" (slot_bytes each, trailer at the end), "counter" and "log-head"
//    (two-copy records), "audit-log" (append-only). See DeviceLayout.
//  - Erased bytes read as 0xFF, as on NOR flash. Erase returns a whole region to that state (on a
//    directory: the file is unlinked).
//  - Nothing written is durable until Sync of that region returns. After a power cut, unsynced
//    writes may be lost, kept, or torn; the layout above the storage must survive that.
//  - Every write, sync and erase is counted (counts()), so the simulator can cut the power before
//    any one of them. The layout needs no rename, which is why raw flash can carry it.
//  - Errors (I/O, out of range, disk full) throw HostError naming the region.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil::ota {

struct DeviceLayout {
  uint64_t slot_bytes = 4 << 20;  // model image + trailer, per slot
  uint64_t audit_log_bytes = 1 << 20;
  static constexpr uint64_t kRecordRegionBytes = 4096;

  struct Region {
    std::string name;
    uint64_t capacity;
  };
  std::vector<Region> Regions() const;
};

struct StorageCounts {
  int64_t writes = 0, syncs = 0, erases = 0;
  int64_t total() const { return writes + syncs + erases; }
};

class Storage {
 public:
  explicit Storage(DeviceLayout layout) : layout_(layout) {}
  virtual ~Storage() = default;

  const DeviceLayout& layout() const { return layout_; }
  uint64_t Capacity(const std::string& region) const;
  void Read(const std::string& region, uint64_t offset, std::span<uint8_t> out);
  void Write(const std::string& region, uint64_t offset, std::span<const uint8_t> bytes);
  void Sync(const std::string& region);
  void Erase(const std::string& region);
  const StorageCounts& counts() const { return counts_; }

 protected:
  // Called after the bounds check; offsets are within the region.
  virtual void DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) = 0;
  virtual void DoWrite(const std::string& region, uint64_t offset,
                       std::span<const uint8_t> bytes) = 0;
  virtual void DoSync(const std::string& region) = 0;
  virtual void DoErase(const std::string& region) = 0;
  // Called before each counted operation (the simulator cuts the power here).
  virtual void BeforeOperation() {}

 private:
  DeviceLayout layout_;
  StorageCounts counts_;
};

// One file per region in `dir` (created on first write).
class DirectoryStorage : public Storage {
 public:
  DirectoryStorage(std::string dir, DeviceLayout layout);

 protected:
  void DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) override;
  void DoWrite(const std::string& region, uint64_t offset, std::span<const uint8_t> bytes) override;
  void DoSync(const std::string& region) override;
  void DoErase(const std::string& region) override;

 private:
  std::string Path(const std::string& region) const { return dir_ + "/" + region; }
  std::string dir_;
};

// All regions back to back in one raw image file (created erased, at full size, when missing),
// as they would sit in a flash device.
class ImageFileStorage : public Storage {
 public:
  ImageFileStorage(std::string path, DeviceLayout layout);
  ~ImageFileStorage() override;

 protected:
  void DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) override;
  void DoWrite(const std::string& region, uint64_t offset, std::span<const uint8_t> bytes) override;
  void DoSync(const std::string& region) override;
  void DoErase(const std::string& region) override;

 private:
  uint64_t Base(const std::string& region) const;
  std::string path_;
  int fd_ = -1;
};

}  // namespace vigil::ota
