#include "regulatory/sbom/linked_libraries.h"

#include <elf.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "host/error.h"
#include "regulatory/shell/shell_command.h"

namespace vigil::regulatory {
namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string SourceKey(const std::string& build_dir, const std::string& path) {
  return std::filesystem::weakly_canonical(std::filesystem::path(build_dir) / path).string();
}

bool IsSharedLibrary(const std::string& path) {
  return EndsWith(path, ".so") || path.find(".so.") != std::string::npos;
}

#if defined(__x86_64__)
constexpr unsigned kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kHostMachine = EM_AARCH64;
#else
constexpr unsigned kHostMachine = EM_NONE;
#endif

std::string MachineName(unsigned machine) {
  switch (machine) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "x86";
    case EM_ARM: return "ARM";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV: return "RISC-V";
    default: return "machine " + std::to_string(machine);
  }
}

// Reads the fields of an ELF file at byte offsets, in the file's class (32/64-bit) and byte order.
class ElfReader {
 public:
  explicit ElfReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw HostError(path + ": cannot open");
  }
  bool ReadIdent() {
    unsigned char ident[EI_NIDENT] = {};
    in_.read(reinterpret_cast<char*>(ident), EI_NIDENT);
    if (in_.gcount() != EI_NIDENT || std::memcmp(ident, ELFMAG, SELFMAG) != 0) return false;
    wide_ = ident[EI_CLASS] == ELFCLASS64;
    big_endian_ = ident[EI_DATA] == ELFDATA2MSB;
    return true;
  }
  bool wide() const { return wide_; }
  // An unsigned field of `bytes` bytes at `offset`.
  uint64_t At(uint64_t offset, int bytes) {
    unsigned char b[8] = {};
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(b), bytes);
    if (in_.gcount() != bytes) throw HostError(path_ + ": ELF headers are cut short");
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
      v |= static_cast<uint64_t>(b[big_endian_ ? bytes - 1 - i : i]) << (8 * i);
    return v;
  }
  // A word of the file's class: 4 bytes in ELF32, 8 in ELF64.
  uint64_t Word(uint64_t offset) { return At(offset, wide_ ? 8 : 4); }
  std::string Bytes(uint64_t offset, uint64_t size) {
    if (size > (1u << 20)) throw HostError(path_ + ": ELF section too large to read");
    std::string text(size, '\0');
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(text.data(), static_cast<std::streamsize>(size));
    if (static_cast<uint64_t>(in_.gcount()) != size)
      throw HostError(path_ + ": ELF section is cut short");
    return text;
  }

 private:
  std::string path_;
  std::ifstream in_;
  bool wide_ = false, big_endian_ = false;
};

// The NUL-separated strings of the .comment section (where GCC and the linker record themselves).
std::vector<std::string> CommentStrings(ElfReader& elf) {
  const bool w = elf.wide();
  uint64_t shoff = elf.Word(w ? 40 : 32);
  uint64_t shentsize = elf.At(w ? 58 : 46, 2), shnum = elf.At(w ? 60 : 48, 2),
           shstrndx = elf.At(w ? 62 : 50, 2);
  if (shoff == 0 || shnum == 0 || shstrndx >= shnum) return {};
  auto offset_of = [&](uint64_t i) { return elf.Word(shoff + i * shentsize + (w ? 24 : 16)); };
  auto size_of = [&](uint64_t i) { return elf.Word(shoff + i * shentsize + (w ? 32 : 20)); };
  std::string names = elf.Bytes(offset_of(shstrndx), size_of(shstrndx));
  std::vector<std::string> strings;
  for (uint64_t i = 0; i < shnum; ++i) {
    uint64_t name = elf.At(shoff + i * shentsize, 4);
    if (name >= names.size() || std::strcmp(names.c_str() + name, ".comment") != 0) continue;
    std::istringstream comment(elf.Bytes(offset_of(i), size_of(i)));
    for (std::string s; std::getline(comment, s, '\0');) {
      if (!s.empty()) strings.push_back(s);
    }
  }
  return strings;
}

}  // namespace

std::vector<std::string> ParseLddOutput(const std::string& text) {
  std::vector<std::string> libraries;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    // "\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x...)" or
    // "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
    size_t arrow = line.find("=> ");
    size_t start = arrow != std::string::npos ? arrow + 3 : line.find_first_not_of(" \t");
    if (start == std::string::npos || start >= line.size() || line[start] != '/') continue;
    size_t end = line.find(" (", start);
    libraries.push_back(
        line.substr(start, end == std::string::npos ? std::string::npos : end - start));
  }
  return libraries;
}

std::vector<std::string> DynamicLibraries(const std::string& binary) {
  if (!std::filesystem::is_regular_file(binary)) throw HostError(binary + ": no such file");
  ShellResult r = RunShellCommand("ldd " + ShellQuote(binary));
  if (r.exit_status != 0)
    throw HostError(binary + ": ldd cannot read it (not a dynamic executable?)");
  return ParseLddOutput(r.output);
}

ElfImage ReadElfImage(const std::string& path) {
  ElfImage image;
  ElfReader elf(path);
  if (!elf.ReadIdent()) return image;
  image.elf = true;
  unsigned machine = static_cast<unsigned>(elf.At(18, 2));
  image.machine = MachineName(machine);
  image.for_this_host = machine == kHostMachine;
  const bool w = elf.wide();
  uint64_t phoff = elf.Word(w ? 32 : 28);
  uint64_t phentsize = elf.At(w ? 54 : 42, 2), phnum = elf.At(w ? 56 : 44, 2);
  for (uint64_t i = 0; i < phnum && phoff != 0; ++i)
    image.dynamic = image.dynamic || elf.At(phoff + i * phentsize, 4) == PT_INTERP;
  image.compilers = CommentStrings(elf);
  return image;
}

std::string BuildDirOf(const std::string& binary) {
  namespace fs = std::filesystem;
  for (fs::path dir = fs::absolute(binary).parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / "build.ninja")) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return "";
}

std::vector<std::string> LinkedArchives(const std::string& build_dir, const std::string& target) {
  namespace fs = std::filesystem;
  if (!fs::exists(build_dir + "/build.ninja")) return {};
  ShellResult commands =
      RunShellCommand("ninja -C " + ShellQuote(build_dir) + " -t commands " + ShellQuote(target));
  std::string link = commands.output.substr(0, commands.output.find_last_not_of('\n') + 1);
  link = link.substr(link.rfind('\n') == std::string::npos ? 0 : link.rfind('\n') + 1);
  std::string output = " -o " + target + " ";
  size_t at = link.find(output);
  if (commands.exit_status != 0 || at == std::string::npos) return {};
  char scratch[] = "/tmp/vigil_sbom_link_XXXXXX";
  int fd = mkstemp(scratch);
  if (fd < 0) throw HostError("cannot create a scratch file for the relink");
  close(fd);
  link.replace(at, output.size(), " -o " + std::string(scratch) + " -Wl,--trace ");
  ShellResult trace = RunShellCommand("cd " + ShellQuote(build_dir) + " && " + link);
  fs::remove(scratch);
  if (trace.exit_status != 0)
    throw HostError(build_dir + ": relinking " + target + " to list its libraries failed");
  std::set<std::string> files;
  std::istringstream lines(trace.output);
  for (std::string line; std::getline(lines, line);) {
    std::string path = line.substr(0, line.find('('));  // "libc.a(memcpy.o)" in older binutils
    if (path.rfind("/usr/", 0) == 0 && fs::exists(path)) files.insert(fs::canonical(path).string());
  }
  return {files.begin(), files.end()};
}

BuildInputs NinjaBuildInputs(const std::string& build_dir, const std::string& target) {
  BuildInputs in;
  if (!std::filesystem::exists(build_dir + "/build.ninja")) return in;
  ShellResult inputs =
      RunShellCommand("ninja -C " + ShellQuote(build_dir) + " -t inputs " + ShellQuote(target));
  if (inputs.exit_status != 0) return in;
  std::set<std::string> sources;
  std::istringstream lines(inputs.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("/usr/", 0) == 0 && EndsWith(line, ".a"))
      in.archives.push_back(line);
    else if (line.rfind("/usr/", 0) == 0 && IsSharedLibrary(line))
      in.shared_libraries.push_back(line);
    else
      sources.insert(SourceKey(build_dir, line));
  }
  // `ninja -t deps` prints each object's record as "obj: #deps N ..." then its source and headers.
  ShellResult deps = RunShellCommand("ninja -C " + ShellQuote(build_dir) + " -t deps");
  std::set<std::string> headers;
  std::istringstream records(deps.output);
  bool in_target = false, first = false;
  for (std::string line; std::getline(records, line);) {
    if (line.empty()) continue;
    if (line[0] != ' ') {
      first = true;
      continue;
    }
    std::string path = line.substr(line.find_first_not_of(' '));
    // `ninja -t inputs` prints sources absolute, `-t deps` relative to the build: compare both
    // resolved.
    if (first) in_target = sources.count(SourceKey(build_dir, path)) > 0;
    first = false;
    if (in_target && path.rfind("/usr/", 0) == 0) headers.insert(path);
  }
  in.system_headers.assign(headers.begin(), headers.end());
  return in;
}

}  // namespace vigil::regulatory
