#include "host/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "host/aligned_buffer.h"
#include "host/error.h"

namespace vigil {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

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

}  // namespace

void WriteFileAtomic(const std::string& path, std::span<const uint8_t> bytes) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::random_device random;
  std::string tmp = (dir / ("." + target.filename().string() + ".tmp" + std::to_string(random())))
                        .string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw HostError("cannot create " + tmp + ": " + ErrnoText());
  try {
    WriteAll(fd, bytes.data(), bytes.size(), path);
    if (::fsync(fd) != 0) throw HostError("cannot fsync " + path + ": " + ErrnoText());
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw HostError("cannot close " + path + ": " + ErrnoText());
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    throw HostError("cannot rename onto " + path + ": " + std::strerror(saved));
  }
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

void WriteFileAtomic(const std::string& path, const std::string& text) {
  WriteFileAtomic(path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()),
                                                 text.size()));
}

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  // A directory opens, then fails the first read with an exception of the standard library's.
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw HostError(path + " is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HostError("cannot open " + path + ": " + ErrnoText());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw HostError("cannot read " + path);
  return bytes;
}

std::string ReadFileText(const std::string& path) {
  std::vector<uint8_t> bytes = ReadFileBytes(path);
  return std::string(bytes.begin(), bytes.end());
}

AlignedBuffer ReadFileAligned(const std::string& path) {
  std::vector<uint8_t> bytes = ReadFileBytes(path);
  return AlignedBuffer(bytes);
}

}  // namespace vigil
