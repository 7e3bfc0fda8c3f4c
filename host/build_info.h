// Provenance of this build and this run: version, commit, compiler, time. Reports print it so every
// number can be traced to the code and the moment that produced it.
#pragma once

#include <string>

namespace vigil {

struct BuildInfo {
  std::string version;       // project version, e.g. "0.1.0"
  std::string commit;        // git commit of the source tree at build time ("+dirty" when modified)
  std::string compiler;      // compiler id and version
  std::string build_type;    // CMake build type
  std::string generated_at;  // now, UTC, ISO 8601
  std::string host;          // host name and OS
};

BuildInfo CurrentBuildInfo();

}  // namespace vigil
