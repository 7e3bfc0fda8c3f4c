#include "testing/cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "host/atomic_file.h"

namespace vigil::testing {

CommandResult RunProgram(const std::string& program, const std::vector<std::string>& args) {
  static int counter = 0;
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("vigil_cli_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  fs::create_directories(dir);
  const std::string out_path = (dir / "stdout").string(), err_path = (dir / "stderr").string();
  pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen(out_path.c_str(), "w", stdout) ||
        !std::freopen(err_path.c_str(), "w", stderr))
      _exit(127);
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    std::string binary = program;
    argv.push_back(binary.data());
    for (std::string& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFileText(out_path),
                  ReadFileText(err_path)};
  fs::remove_all(dir);
  return r;
}

CommandResult RunVigil(const std::vector<std::string>& args) {
  return RunProgram(std::string(VIGIL_BINARY_DIR) + "/bin/vigil", args);
}

}  // namespace vigil::testing
