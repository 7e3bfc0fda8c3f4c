#include "ota/device/storage.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "host/atomic_file.h"
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

// The plain files of a folder of preserved copies (temporary files start with '.'), sorted.
std::vector<std::string> NamesIn(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !name.starts_with(".")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::vector<uint8_t>> ReadIn(const std::string& folder, const std::string& name) {
  std::string path = folder + "/" + name;
  if (!std::filesystem::is_regular_file(path)) return std::nullopt;
  return ReadFileBytes(path);
}

}  // namespace

size_t LengthBeforeErasedTail(std::span<const uint8_t> bytes) {
  auto last = std::find_if(bytes.rbegin(), bytes.rend(), [](uint8_t b) { return b != 0xFF; });
  return static_cast<size_t>(bytes.rend() - last);
}

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

void Storage::Preserve(const std::string& region, const std::string& name) {
  Capacity(region);
  if (name.empty() || name.starts_with(".") || name.find('/') != std::string::npos)
    throw HostError(region + ": '" + name + "' cannot name a preserved copy");
  if (ReadPreserved(name)) throw HostError(region + ": a preserved copy '" + name + "' exists");
  BeforeOperation();
  ++counts_.preserves;
  DoPreserve(region, name);
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

void DirectoryStorage::DoPreserve(const std::string& region, const std::string& name) {
  std::string folder = dir_ + "/preserved", target = folder + "/" + name;
  std::filesystem::create_directories(folder);
  if (!std::filesystem::exists(Path(region))) {
    WriteFileAtomic(target, std::string());  // a region never written preserves as empty
    return;
  }
  // One rename: the copy appears and the region reads erased in the same instant.
  if (::rename(Path(region).c_str(), target.c_str()) != 0)
    throw HostError("cannot move " + Path(region) + " to " + target + ": " + Errno());
  SyncDirectory(folder);
  SyncDirectory(dir_);
}

std::vector<std::string> DirectoryStorage::PreservedNames() {
  return NamesIn(dir_ + "/preserved");
}

std::optional<std::vector<uint8_t>> DirectoryStorage::ReadPreserved(const std::string& name) {
  return ReadIn(dir_ + "/preserved", name);
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

void ImageFileStorage::DoPreserve(const std::string& region, const std::string& name) {
  std::vector<uint8_t> content(Capacity(region));
  DoRead(region, 0, content);
  content.resize(LengthBeforeErasedTail(content));
  std::filesystem::create_directories(path_ + ".preserved");
  WriteFileAtomic(path_ + ".preserved/" + name, content);  // durable before the region is erased
  DoErase(region);
  DoSync(region);
}

std::vector<std::string> ImageFileStorage::PreservedNames() {
  return NamesIn(path_ + ".preserved");
}

std::optional<std::vector<uint8_t>> ImageFileStorage::ReadPreserved(const std::string& name) {
  return ReadIn(path_ + ".preserved", name);
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
