// Runs build/bin/vigil (or another tool) in a child process for command-line tests, capturing the
// exit status, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace vigil::testing {

struct CommandResult {
  int exit_code;
  std::string out, err;
};

// `program` is a path; args exclude argv[0].
CommandResult RunProgram(const std::string& program, const std::vector<std::string>& args);
// build/bin/vigil of this build.
CommandResult RunVigil(const std::vector<std::string>& args);

}  // namespace vigil::testing
