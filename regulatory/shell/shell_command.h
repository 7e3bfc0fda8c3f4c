// Running the system tools the regulatory commands read their facts from (ctest, ldd, dpkg-query,
// ninja, chromium) and capturing what they print.
//
//   ShellResult r = RunShellCommand("dpkg-query -W -f='${Version}' " + ShellQuote(package));
//   if (r.exit_status == 0) use(r.output);
#pragma once

#include <string>

namespace vigil::regulatory {

struct ShellResult {
  int exit_status = -1;  // the command's exit status; -1 when it did not exit normally
  std::string output;    // its standard output (standard error goes to /dev/null unless redirected)
};

// Runs `command` with /bin/sh; throws HostError only when the shell itself cannot be started.
ShellResult RunShellCommand(const std::string& command);

// Quotes one word for /bin/sh.
std::string ShellQuote(const std::string& word);

}  // namespace vigil::regulatory
