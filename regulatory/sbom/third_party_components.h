// CycloneDX components for the third-party code in Vigil's binaries and for the toolchain that
// built them, each named by its Debian package (see debian_packages.h and linked_libraries.h).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vigil::regulatory {

struct ThirdParty {
  nlohmann::json components = nlohmann::json::array();  // one `library` per Debian package
  std::map<std::string, nlohmann::json> used_by;        // "vigil:<binary>" -> the refs it contains
  std::string how_found;                                // which sources were read (ldd, ninja)
};

// Each package gets property vigil:linkage = dynamic (ldd), static (an archive on the link line, or
// one the link of a static image read) or compiled-in (headers of a package none of whose
// dependencies is linked: header-only libraries), and vigil:file = "<path> sha256:<hex>" for each
// linked file. Each binary is read with the build that made it (BuildDirOf; build_dir when none):
// a static ELF image such as the Cortex-M firmware is relinked with --trace instead of read by
// ldd, and throws HostError when no build that links it is found.
ThirdParty FindThirdPartyComponents(const std::string& build_dir,
                                    const std::vector<std::string>& binaries);

// The compiler, linker, archiver, build tools and code generators named in
// build_dir/CMakeCache.txt, as `application` components with their Debian package and version.
nlohmann::json ToolchainComponents(const std::string& build_dir);

}  // namespace vigil::regulatory
