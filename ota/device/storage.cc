#include "ota/device/storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "host/error.h"

namespace vigil::ota {
namespace {

std::string Errno() {
  return std::strerror(errno);
}

void WriteAll(int fd, uint64_t offset, std::span<const uint8_t> bytes, const std::string& what) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw HostError("cannot write " + what + ": " + Errno());
    done += static_cast<size_t>(n);
  }
}

// Reads what the file has; the rest of `out` reads as erased.
void ReadPadded(int fd, uint64_t offset, std::span<uint8_t> out, const std::string& what) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw HostError("cannot read " + what + ": " + Errno());
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  std::memset(out.data() + done, 0xFF, out.size() - done);
}

void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw HostError("cannot open " + dir + ": " + Errno());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw HostError("cannot sync " + dir + ": " + Errno());
}

}  // namespace

std::vector<DeviceLayout::Region> DeviceLayout::Regions() const {
  return {{"slot-a", slot_bytes},
          {"slot-b", slot_bytes},
          {"counter", kRecordRegionBytes},
          {"log-head", kRecordRegionBytes},
          {"audit-log", audit_log_bytes}};
}

uint64_t Storage::Capacity(const std::string& region) const {
  for (const DeviceLayout::Region& r : layout_.Regions()) {
    if (r.name == region) return r.capacity;
  }
  throw HostError("storage has no region '" + region + "'");
}

void Storage::Read(const std::string& region, uint64_t offset, std::span<uint8_t> out) {
  uint64_t capacity = Capacity(region);
  if (offset > capacity || out.size() > capacity - offset)
    throw HostError(region + ": read past the region's end");
  DoRead(region, offset, out);
}

void Storage::Write(const std::string& region, uint64_t offset, std::span<const uint8_t> bytes) {
  uint64_t capacity = Capacity(region);
  if (offset > capacity || bytes.size() > capacity - offset) {
    throw HostError(region + ": write of " + std::to_string(bytes.size()) + " bytes at " +
                    std::to_string(offset) + " does not fit its " + std::to_string(capacity) +
                    " bytes");
  }
  BeforeOperation();
  ++counts_.writes;
  DoWrite(region, offset, bytes);
}

void Storage::Sync(const std::string& region) {
  Capacity(region);
  BeforeOperation();
  ++counts_.syncs;
  DoSync(region);
}

void Storage::Erase(const std::string& region) {
  Capacity(region);
  BeforeOperation();
  ++counts_.erases;
  DoErase(region);
}

DirectoryStorage::DirectoryStorage(std::string dir, DeviceLayout layout)
    : Storage(layout), dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

void DirectoryStorage::DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) {
  int fd = ::open(Path(region).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) throw HostError("cannot open " + Path(region) + ": " + Errno());
    std::memset(out.data(), 0xFF, out.size());
    return;
  }
  try {
    ReadPadded(fd, offset, out, Path(region));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void DirectoryStorage::DoWrite(const std::string& region, uint64_t offset,
                               std::span<const uint8_t> bytes) {
  int fd = ::open(Path(region).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw HostError("cannot open " + Path(region) + ": " + Errno());
  try {
    // A file shorter than `offset` reads as erased between its end and the new bytes.
    off_t size = ::lseek(fd, 0, SEEK_END);
    if (size >= 0 && static_cast<uint64_t>(size) < offset) {
      std::vector<uint8_t> erased(offset - static_cast<uint64_t>(size), 0xFF);
      WriteAll(fd, static_cast<uint64_t>(size), erased, Path(region));
    }
    WriteAll(fd, offset, bytes, Path(region));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void DirectoryStorage::DoSync(const std::string& region) {
  int fd = ::open(Path(region).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw HostError("cannot open " + Path(region) + ": " + Errno());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw HostError("cannot sync " + Path(region) + ": " + Errno());
  SyncDirectory(dir_);  // the file's name must be durable too
}

void DirectoryStorage::DoErase(const std::string& region) {
  if (::unlink(Path(region).c_str()) != 0 && errno != ENOENT) {
    throw HostError("cannot erase " + Path(region) + ": " + Errno());
  }
  SyncDirectory(dir_);
}

ImageFileStorage::ImageFileStorage(std::string path, DeviceLayout layout)
    : Storage(layout), path_(std::move(path)) {
  uint64_t total = 0;
  for (const DeviceLayout::Region& r : layout.Regions())
    total += r.capacity;
  bool fresh = !std::filesystem::exists(path_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw HostError("cannot open image " + path_ + ": " + Errno());
  off_t size = ::lseek(fd_, 0, SEEK_END);
  if (fresh || size == 0) {
    std::vector<uint8_t> erased(64 << 10, 0xFF);
    for (uint64_t at = 0; at < total; at += erased.size()) {
      WriteAll(
          fd_, at,
          std::span<const uint8_t>(erased).first(std::min<uint64_t>(erased.size(), total - at)),
          path_);
    }
    if (::fsync(fd_) != 0) throw HostError("cannot sync " + path_ + ": " + Errno());
  } else if (static_cast<uint64_t>(size) != total) {
    ::close(fd_);
    throw HostError(path_ + ": image is " + std::to_string(size) + " bytes, the layout needs " +
                    std::to_string(total));
  }
}

ImageFileStorage::~ImageFileStorage() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t ImageFileStorage::Base(const std::string& region) const {
  uint64_t base = 0;
  for (const DeviceLayout::Region& r : layout().Regions()) {
    if (r.name == region) return base;
    base += r.capacity;
  }
  throw HostError("storage has no region '" + region + "'");
}

void ImageFileStorage::DoRead(const std::string& region, uint64_t offset, std::span<uint8_t> out) {
  ReadPadded(fd_, Base(region) + offset, out, path_ + ":" + region);
}

void ImageFileStorage::DoWrite(const std::string& region, uint64_t offset,
                               std::span<const uint8_t> bytes) {
  WriteAll(fd_, Base(region) + offset, bytes, path_ + ":" + region);
}

void ImageFileStorage::DoSync(const std::string& region) {
  if (::fdatasync(fd_) != 0)
    throw HostError("cannot sync " + path_ + ":" + region + ": " + Errno());
}

void ImageFileStorage::DoErase(const std::string& region) {
  std::vector<uint8_t> erased(64 << 10, 0xFF);
  uint64_t base = Base(region), capacity = Capacity(region);
  for (uint64_t at = 0; at < capacity; at += erased.size()) {
    WriteAll(
        fd_, base + at,
        std::span<const uint8_t>(erased).first(std::min<uint64_t>(erased.size(), capacity - at)),
        path_ + ":" + region);
  }
}

}  // namespace vigil::ota
