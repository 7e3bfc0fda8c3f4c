#include "host/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

#include "host/aligned_buffer.h"
#include "host/error.h"

namespace vigil {
namespace {

std::string ErrnoText() {
  return std::strerror(errno);
}

// What a non-regular file is, for the error that refuses it.
const char* FileTypeName(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void WriteAll(int fd, const uint8_t* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw HostError("cannot write " + path + ": " + ErrnoText());
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
}

std::filesystem::path DirectoryOf(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

// The target as it is now: refuses what must not be replaced; the mode the new file gets.
mode_t CheckTarget(const std::string& path, const FileWriteOptions& options, struct stat* old,
                   bool* exists) {
  *exists = ::lstat(path.c_str(), old) == 0;
  if (!*exists && errno != ENOENT) throw HostError("cannot write " + path + ": " + ErrnoText());
  if (!*exists) return options.mode & 0777;
  if (!S_ISREG(old->st_mode)) {
    throw HostError("cannot write " + path + ": it is " + FileTypeName(old->st_mode) +
                    ", not a regular file (left as it is)");
  }
  if (!options.replace)
    throw HostError("cannot write " + path + ": it already exists (left as it is)");
  return old->st_mode & options.mode & 0777;
}

// Gives the temporary file the replaced file's mode and group. A group that cannot be kept loses
// its permission bits: the new file is never readable by more people than the old one.
void KeepModeAndGroup(int fd, const struct stat& old, mode_t mode, const std::string& path) {
  struct stat now {};
  if (::fstat(fd, &now) != 0) throw HostError("cannot write " + path + ": " + ErrnoText());
  if (now.st_gid != old.st_gid && ::fchown(fd, static_cast<uid_t>(-1), old.st_gid) != 0)
    mode &= ~mode_t{0070};
  if (::fchmod(fd, mode) != 0) throw HostError("cannot write " + path + ": " + ErrnoText());
}

std::string TemporaryPathFor(const std::string& path) {
  std::random_device random;
  std::filesystem::path target(path);
  return (DirectoryOf(path) /
          ("." + target.filename().string() + ".tmp" + std::to_string(random())))
      .string();
}

void FsyncDirectory(const std::filesystem::path& dir) {
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

// Moves the temporary onto the target: rename, or (must not replace) link, which fails on a target
// that appeared since Stage.
void Publish(const std::string& temporary, const std::string& path, bool replace) {
  if (replace ? ::rename(temporary.c_str(), path.c_str()) == 0
              : ::link(temporary.c_str(), path.c_str()) == 0) {
    if (!replace) ::unlink(temporary.c_str());
    return;
  }
  throw HostError("cannot write " + path + ": " + ErrnoText());
}

}  // namespace

StagedFiles::~StagedFiles() {
  for (const Staged& s : staged_)
    ::unlink(s.temporary.c_str());
}

void StagedFiles::Stage(const std::string& path, std::span<const uint8_t> bytes,
                        const FileWriteOptions& options) {
  namespace fs = std::filesystem;
  for (const Staged& s : staged_) {
    if (fs::absolute(s.path).lexically_normal() == fs::absolute(path).lexically_normal()) {
      throw HostError("cannot write " + path + " twice in one command");
    }
  }
  struct stat old {};
  bool exists = false;
  mode_t mode = CheckTarget(path, options, &old, &exists);
  std::string temporary = TemporaryPathFor(path);
  FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (fd.get() < 0)
    throw HostError("cannot write " + path + ": cannot create a file in " +
                    DirectoryOf(path).string() + ": " + ErrnoText());
  staged_.push_back({path, temporary, options.replace});  // from here on the destructor removes it
  if (exists) KeepModeAndGroup(fd.get(), old, mode, path);
  WriteAll(fd.get(), bytes.data(), bytes.size(), path);
  if (::fsync(fd.get()) != 0) throw HostError("cannot write " + path + ": " + ErrnoText());
  if (::close(fd.Release()) != 0) throw HostError("cannot write " + path + ": " + ErrnoText());
}

void StagedFiles::Stage(const std::string& path, const std::string& text,
                        const FileWriteOptions& options) {
  Stage(path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
        options);
}

void StagedFiles::Commit() {
  std::string published;
  for (size_t i = 0; i < staged_.size(); ++i) {
    try {
      Publish(staged_[i].temporary, staged_[i].path, staged_[i].replace);
    } catch (const HostError& e) {
      // Only a concurrent change to the directory gets here; say what was already replaced.
      staged_.erase(staged_.begin(), staged_.begin() + static_cast<std::ptrdiff_t>(i));
      throw HostError(std::string(e.what()) +
                      (published.empty() ? "" : "; already written: " + published));
    }
    published += (published.empty() ? "" : ", ") + staged_[i].path;
  }
  for (const Staged& s : staged_)
    FsyncDirectory(DirectoryOf(s.path));
  staged_.clear();
}

void WriteFileAtomic(const std::string& path, std::span<const uint8_t> bytes,
                     const FileWriteOptions& options) {
  StagedFiles file;
  file.Stage(path, bytes, options);
  file.Commit();
}

void WriteFileAtomic(const std::string& path, const std::string& text,
                     const FileWriteOptions& options) {
  WriteFileAtomic(
      path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
      options);
}

InputFile::InputFile(const std::string& path) : path_(path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) throw HostError("cannot open " + path + ": " + ErrnoText());
  struct stat st {};
  const bool stat_failed = ::fstat(fd_, &st) != 0;
  if (stat_failed || !S_ISREG(st.st_mode)) {
    const std::string what =
        stat_failed ? ErrnoText()
                    : "it is " + std::string(FileTypeName(st.st_mode)) + ", not a regular file";
    ::close(fd_);
    throw HostError("cannot read " + path + ": " + what);
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

InputFile::~InputFile() {
  ::close(fd_);
}

size_t InputFile::Read(uint8_t* data, size_t size) {
  for (;;) {
    ssize_t n = ::read(fd_, data, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) throw HostError("cannot read " + path_ + ": " + ErrnoText());
  }
}

std::vector<uint8_t> ReadFileBytes(const std::string& path, const FileLimit& limit) {
  InputFile file(path);
  auto too_large = [&](uint64_t bytes) {
    return HostError("cannot read " + path + ": " + std::to_string(bytes) + " bytes or more; " +
                     limit.kind + " may have at most " + std::to_string(limit.max_bytes) +
                     " (docs/limits.md)");
  };
  if (file.size() > limit.max_bytes) throw too_large(file.size());
  // Read to the end, not size() bytes: the file may grow, and some (in /proc) report size 0.
  std::vector<uint8_t> bytes(static_cast<size_t>(file.size()) + 1);
  size_t used = 0;
  for (;;) {
    if (used == bytes.size()) {
      if (used > limit.max_bytes) throw too_large(used);
      bytes.resize(std::min<uint64_t>(limit.max_bytes + 1, std::max<size_t>(used * 2, 4096)));
    }
    size_t n = file.Read(bytes.data() + used, bytes.size() - used);
    if (n == 0) break;
    used += n;
  }
  if (used > limit.max_bytes) throw too_large(used);
  bytes.resize(used);
  return bytes;
}

std::string ReadFileText(const std::string& path, const FileLimit& limit) {
  std::vector<uint8_t> bytes = ReadFileBytes(path, limit);
  return std::string(bytes.begin(), bytes.end());
}

AlignedBuffer ReadFileAligned(const std::string& path) {
  std::vector<uint8_t> bytes = ReadFileBytes(path);
  return AlignedBuffer(bytes);
}

}  // namespace vigil
