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
//  - Preserve(region, name) moves a region's content aside, whole, as a named read-only copy and
//    leaves the region erased (the audit log's full or damaged logs: kept for forensics and export,
//    never truncated). After a power cut either the copy exists and the region is erased, or
//    neither happened (the image backend copies before it erases, so a cut between can leave the
//    region as well as its copy). On a device the copies are an archive partition that service
//    exports; here a folder beside the storage.
//  - Every write, sync, erase and preserve is counted (counts()), so the simulator can cut the
//    power before any one of them. The regions need no rename, which is why raw flash can carry
//    them.
//  - Errors (I/O, out of range, disk full) throw HostError naming the region.
#pragma once

#include <cstdint>
#include <optional>
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
  int64_t writes = 0, syncs = 0, erases = 0, preserves = 0;
  int64_t total() const { return writes + syncs + erases + preserves; }
};

// The length of `bytes` without its trailing erased (0xFF) bytes: what a preserved copy keeps.
size_t LengthBeforeErasedTail(std::span<const uint8_t> bytes);

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
  // The region's bytes up to its last one not erased become preserved copy `name` (a new name).
  void Preserve(const std::string& region, const std::string& name);
  // The names of the preserved copies, sorted by name.
  virtual std::vector<std::string> PreservedNames() = 0;
  // A preserved copy's bytes; nothing when there is no copy of that name.
  virtual std::optional<std::vector<uint8_t>> ReadPreserved(const std::string& name) = 0;
  const StorageCounts& counts() const { return counts_; }

 protected:
  // Called after the bounds check; offsets are within the region.
  virtual void DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) = 0;
  virtual void DoWrite(const std::string& region, uint64_t offset,
                       std::span<const uint8_t> bytes) = 0;
  virtual void DoSync(const std::string& region) = 0;
  virtual void DoErase(const std::string& region) = 0;
  virtual void DoPreserve(const std::string& region, const std::string& name) = 0;
  // Called before each counted operation (the simulator cuts the power here).
  virtual void BeforeOperation() {}

 private:
  DeviceLayout layout_;
  StorageCounts counts_;
};

// One file per region in `dir` (created on first write); preserved copies in `dir`/preserved/,
// moved there by rename.
class DirectoryStorage : public Storage {
 public:
  DirectoryStorage(std::string dir, DeviceLayout layout);
  std::vector<std::string> PreservedNames() override;
  std::optional<std::vector<uint8_t>> ReadPreserved(const std::string& name) override;

 protected:
  void DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) override;
  void DoWrite(const std::string& region, uint64_t offset, std::span<const uint8_t> bytes) override;
  void DoSync(const std::string& region) override;
  void DoErase(const std::string& region) override;
  void DoPreserve(const std::string& region, const std::string& name) override;

 private:
  std::string Path(const std::string& region) const { return dir_ + "/" + region; }
  std::string dir_;
};

// All regions back to back in one raw image file (created erased, at full size, when missing),
// as they would sit in a flash device; preserved copies in `path`.preserved/.
class ImageFileStorage : public Storage {
 public:
  ImageFileStorage(std::string path, DeviceLayout layout);
  ~ImageFileStorage() override;
  std::vector<std::string> PreservedNames() override;
  std::optional<std::vector<uint8_t>> ReadPreserved(const std::string& name) override;

 protected:
  void DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) override;
  void DoWrite(const std::string& region, uint64_t offset, std::span<const uint8_t> bytes) override;
  void DoSync(const std::string& region) override;
  void DoErase(const std::string& region) override;
  void DoPreserve(const std::string& region, const std::string& name) override;

 private:
  uint64_t Base(const std::string& region) const;
  std::string path_;
  int fd_ = -1;
};

}  // namespace vigil::ota
