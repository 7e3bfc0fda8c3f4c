#include "host/build_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>

#include "build_commit.h"  // generated each build: VIGIL_BUILD_COMMIT

namespace vigil {

BuildInfo CurrentBuildInfo() {
  BuildInfo info;
  info.version = VIGIL_VERSION;
  info.commit = VIGIL_BUILD_COMMIT;
  info.compiler = VIGIL_COMPILER;
  info.build_type = VIGIL_BUILD_TYPE;
  char when[32];
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &utc);
  info.generated_at = when;
  utsname u{};
  if (uname(&u) == 0)
    info.host = std::string(u.nodename) + " " + u.sysname + " " + u.release + " " + u.machine;
  return info;
}

nlohmann::json EvidenceProvenance(const std::string& command) {
  const BuildInfo info = CurrentBuildInfo();
  return {{"commit", info.commit}, {"date", info.generated_at}, {"command", command}};
}

}  // namespace vigil
