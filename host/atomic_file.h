// The files host tools write and read: every `-o` and every input goes through here.
//
// Writes are atomic: the whole new content or the old file, never half of one. Each file is written
// to a temporary file beside its target, created with its final mode (a private key is never
// readable by others, not even for a moment), fsynced, renamed over the target, and the directory
// is fsynced. Only a regular file is ever replaced: a target that is a symbolic link, device, FIFO,
// socket or directory is refused with a HostError naming it, and left as it was. A replaced file
// keeps its permission bits (and group), narrowed by FileWriteOptions::mode: never wider.
// StagedFiles writes several files all-or-nothing (the outputs of one command).
//
// Reads take only regular files (/dev/zero, a FIFO or a directory is refused before reading) and
// at most FileLimit::max_bytes, checked before reading: a documented maximum per kind of file
// (docs/limits.md). Every error names the user's path, never a temporary one.
//
//   WriteFileAtomic("model.vgl", bytes);
//   WriteFileAtomic("key.pem", pem, {.mode = 0600, .replace = false});
//   StagedFiles outputs;
//   outputs.Stage("y0.npy", a);
//   outputs.Stage("y1.npy", b);
//   outputs.Commit();  // both or, on any error, neither (temporaries removed)
//   std::vector<uint8_t> model = ReadFileBytes("model.vgl", kModelFile);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil {

struct FileWriteOptions {
  // Permission bits of a new file (less the umask). A replaced file keeps its own bits, narrowed to
  // these: 0600 makes a key private whether or not it replaces a file that was not.
  unsigned mode = 0666;
  // false: refuse when the target exists (a key is replaced only on request).
  bool replace = true;
};

// Files written as one. Stage() checks the target, then writes and fsyncs a temporary beside it;
// Commit() renames every temporary over its target. Destroyed before Commit (an error), it removes
// the temporaries: no target is touched. Everything that can fail short of a concurrent change to
// the directories (a missing folder, a non-regular or existing target, a full disk) fails in Stage.
class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();

  void Stage(const std::string& path, std::span<const uint8_t> bytes,
             const FileWriteOptions& options = {});
  void Stage(const std::string& path, const std::string& text,
             const FileWriteOptions& options = {});
  void Commit();

 private:
  struct Staged {
    std::string path, temporary;
    bool replace;
  };
  std::vector<Staged> staged_;
};

void WriteFileAtomic(const std::string& path, std::span<const uint8_t> bytes,
                     const FileWriteOptions& options = {});
void WriteFileAtomic(const std::string& path, const std::string& text,
                     const FileWriteOptions& options = {});

// The most bytes a reader takes from one kind of file (docs/limits.md).
struct FileLimit {
  const char* kind;  // "a model file": appears in the error
  uint64_t max_bytes;
};
inline constexpr FileLimit kModelFile{"a model file (.onnx, .vgl)", 1ull << 30};
inline constexpr FileLimit kTensorFile{"a tensor file (.npy)", 1ull << 30};
inline constexpr FileLimit kSignalFile{"a signal file (WFDB .dat)", 256ull << 20};
inline constexpr FileLimit kImageFile{"an image file", 256ull << 20};
inline constexpr FileLimit kTextFile{"a text file", 64ull << 20};
inline constexpr FileLimit kAnyFile{"a file", 1ull << 30};

// A regular file open for reading: the one door of ReadFileBytes and of readers that stream (a
// digest). Opening throws HostError naming the path when it cannot be opened or is not a regular
// file (a FIFO is refused without waiting for a writer).
class InputFile {
 public:
  explicit InputFile(const std::string& path);
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  uint64_t size() const { return size_; }  // when opened
  // Up to `size` bytes into `data`; 0 at the end. Throws HostError naming the path on an error.
  size_t Read(uint8_t* data, size_t size);

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Reads a whole regular file of at most limit.max_bytes; throws HostError naming the path when it
// cannot, when it is not a regular file, or when it is larger.
std::vector<uint8_t> ReadFileBytes(const std::string& path, const FileLimit& limit = kAnyFile);
std::string ReadFileText(const std::string& path, const FileLimit& limit = kTextFile);

}  // namespace vigil
