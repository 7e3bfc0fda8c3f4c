// The third-party code inside a Vigil binary: the shared libraries the dynamic loader maps (ldd)
// and, from the Ninja build that linked it, the static archives and the system headers its objects
// were compiled with (header-only libraries such as nlohmann-json and FlatBuffers live there).
//
//   for (const std::string& so : DynamicLibraries("build/bin/vigil")) ...
//   BuildInputs in = NinjaBuildInputs("build", {"bin/vigil"}).at("bin/vigil");
#pragma once

#include <map>
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

// Target -> its inputs, for every target: reads `ninja -t inputs TARGET` for each and `ninja -t
// deps` once (the dependency log of a whole build is large). Each target's inputs are empty when
// build_dir is not a Ninja build (the SBOM then lists what ldd sees only, and says so).
std::map<std::string, BuildInputs> NinjaBuildInputs(const std::string& build_dir,
                                                    const std::vector<std::string>& targets);

}  // namespace vigil::regulatory
