// Provenance of this build and this run: version, commit, compiler, time. Reports print it so every
// number can be traced to the code and the moment that produced it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

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

// The provenance at the top of every evidence file (docs/evidence/*.json, read back by
// regulatory/evidence/evidence_file.h): {"commit", "date" (UTC, ISO 8601), "command"} from
// CurrentBuildInfo() and `command`, the command line as the user typed it ("vigil ecg eval ...").
nlohmann::json EvidenceProvenance(const std::string& command);

}  // namespace vigil
