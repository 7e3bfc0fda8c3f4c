// `vigil seg ARGS` runs `vigil-seg ARGS`, the program built beside this one
// (apps/seg_viewer/main.cc), so that OpenCV and the imaging and video libraries it brings load only
// for segmentation.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "apps/vigil/commands.h"
#include "host/error.h"

namespace vigil {

int RunSegCommand(int argc, char** argv) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw HostError("cannot find this program (/proc/self/exe): " + error.message());
  const std::string program = (self.parent_path() / "vigil-seg").string();
  std::vector<char*> args{const_cast<char*>(program.c_str())};
  args.insert(args.end(), argv + 1, argv + argc);  // argv[0] is "seg"
  args.push_back(nullptr);
  execv(program.c_str(), args.data());  // returns only on failure
  throw HostError(program + ": cannot run it (" + std::strerror(errno) +
                  "); `cmake --build build --target vigil-seg` builds it");
}

}  // namespace vigil
