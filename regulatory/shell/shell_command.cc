#include "regulatory/shell/shell_command.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "host/error.h"

namespace vigil::regulatory {

ShellResult RunShellCommand(const std::string& command) {
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) throw HostError("cannot start /bin/sh to run '" + command + "'");
  ShellResult result;
  std::array<char, 4096> chunk;
  size_t n;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
    result.output.append(chunk.data(), n);
  int status = pclose(pipe);
  result.exit_status = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string ShellQuote(const std::string& word) {
  std::string out = "'";
  for (char c : word)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace vigil::regulatory
