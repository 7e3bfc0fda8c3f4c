// The third-party code inside a Vigil binary: the shared libraries the dynamic loader maps (ldd)
// and, from the Ninja build that linked it, the static archives and the system headers its objects
// were compiled with (header-only libraries such as nlohmann-json and FlatBuffers live there).
// A statically linked image for another machine (the Cortex-M firmware) has nothing for ldd to
// read: its libraries are the archives its link took (LinkedArchives), and the compiler that made
// it is recorded in the image itself (ElfImage::compilers).
//
//   for (const std::string& so : DynamicLibraries("build/bin/vigil")) ...
//   BuildInputs in = NinjaBuildInputs("build", "bin/vigil");
//   ElfImage image = ReadElfImage("build/firmware/bin/vigil_model_runner.elf");  // ARM, static
#pragma once

#include <string>
#include <vector>

namespace vigil::regulatory {

// Absolute paths of the libraries in `ldd` output, the dynamic loader included, linux-vdso left
// out.
std::vector<std::string> ParseLddOutput(const std::string& text);
// Runs ldd; throws HostError when the file is not a dynamic executable or library.
std::vector<std::string> DynamicLibraries(const std::string& binary);

struct BuildInputs {
  std::vector<std::string> archives;          // /usr/.../*.a linked in
  std::vector<std::string> shared_libraries;  // /usr/.../*.so* named on the link line
  std::vector<std::string> system_headers;    // /usr/... headers the target's objects included
};

// Reads `ninja -t inputs TARGET` and `ninja -t deps`; empty when build_dir is not a Ninja build
// (the SBOM then lists what ldd sees only, and says so).
BuildInputs NinjaBuildInputs(const std::string& build_dir, const std::string& target);

// What an ELF file's headers say about it.
struct ElfImage {
  bool elf = false;                    // false for anything else (a static archive, a script)
  std::string machine;                 // e_machine: "x86-64", "ARM", "AArch64", ...
  bool for_this_host = false;          // the machine vigil itself runs on
  bool dynamic = false;                // has a program interpreter: ldd can list its libraries
  std::vector<std::string> compilers;  // the .comment section, "GCC: (15:12.2.rel1-1) 12.2.1 ..."
};
// Throws HostError naming the file when it cannot be read or its headers are cut short.
ElfImage ReadElfImage(const std::string& path);

// The build folder that made `binary`: its nearest ancestor folder holding build.ninja (the
// firmware's nested build/firmware for build/firmware/bin/*.elf); "" when there is none.
std::string BuildDirOf(const std::string& binary);

// The system libraries and objects (/usr/...) the linker read when linking `target`, found by
// running the target's own link command again into a scratch file with -Wl,--trace. Empty when
// build_dir is not a Ninja build of that target.
std::vector<std::string> LinkedArchives(const std::string& build_dir, const std::string& target);

}  // namespace vigil::regulatory
