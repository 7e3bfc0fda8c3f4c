#include "regulatory/sbom/linked_libraries.h"

#include <filesystem>
#include <set>
#include <sstream>

#include "host/error.h"
#include "regulatory/shell/shell_command.h"

namespace vigil::regulatory {
namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsSharedLibrary(const std::string& path) {
  return EndsWith(path, ".so") || path.find(".so.") != std::string::npos;
}

// Ninja prints a path as the build wrote it: absolute, or relative to the build folder when a
// compiler launcher (ccache's base_dir) rewrote the command line. Compare them in one form.
std::string AbsoluteBuildPath(const std::string& build_dir, const std::string& path) {
  return std::filesystem::absolute(std::filesystem::path(build_dir) / path).lexically_normal();
}

}  // namespace

std::vector<std::string> ParseLddOutput(const std::string& text) {
  std::vector<std::string> libraries;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    // "\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x...)" or
    // "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
    size_t arrow = line.find("=> ");
    size_t start = arrow != std::string::npos ? arrow + 3 : line.find_first_not_of(" \t");
    if (start == std::string::npos || start >= line.size() || line[start] != '/') continue;
    size_t end = line.find(" (", start);
    libraries.push_back(
        line.substr(start, end == std::string::npos ? std::string::npos : end - start));
  }
  return libraries;
}

std::vector<std::string> DynamicLibraries(const std::string& binary) {
  if (!std::filesystem::is_regular_file(binary)) throw HostError(binary + ": no such file");
  ShellResult r = RunShellCommand("ldd " + ShellQuote(binary));
  if (r.exit_status != 0)
    throw HostError(binary + ": ldd cannot read it (not a dynamic executable?)");
  return ParseLddOutput(r.output);
}

std::map<std::string, BuildInputs> NinjaBuildInputs(const std::string& build_dir,
                                                    const std::vector<std::string>& targets) {
  std::map<std::string, BuildInputs> inputs_of;
  std::map<std::string, std::set<std::string>> targets_of_source;
  for (const std::string& target : targets) {
    BuildInputs& in = inputs_of[target];
    if (!std::filesystem::exists(build_dir + "/build.ninja")) continue;
    ShellResult inputs =
        RunShellCommand("ninja -C " + ShellQuote(build_dir) + " -t inputs " + ShellQuote(target));
    if (inputs.exit_status != 0) continue;
    std::istringstream lines(inputs.output);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("/usr/", 0) == 0 && EndsWith(line, ".a"))
        in.archives.push_back(line);
      else if (line.rfind("/usr/", 0) == 0 && IsSharedLibrary(line))
        in.shared_libraries.push_back(line);
      else
        targets_of_source[AbsoluteBuildPath(build_dir, line)].insert(target);
    }
  }
  if (targets_of_source.empty()) return inputs_of;
  // `ninja -t deps` prints each object's record as "obj: #deps N ..." then its source and headers.
  ShellResult deps = RunShellCommand("ninja -C " + ShellQuote(build_dir) + " -t deps");
  std::map<std::string, std::set<std::string>> headers_of;
  std::istringstream records(deps.output);
  const std::set<std::string>* record_targets = nullptr;
  bool first = false;
  for (std::string line; std::getline(records, line);) {
    if (line.empty()) continue;
    if (line[0] != ' ') {
      first = true;
      continue;
    }
    std::string path = line.substr(line.find_first_not_of(' '));
    if (first) {
      auto it = targets_of_source.find(AbsoluteBuildPath(build_dir, path));
      record_targets = it == targets_of_source.end() ? nullptr : &it->second;
    }
    first = false;
    if (record_targets && path.rfind("/usr/", 0) == 0) {
      for (const std::string& target : *record_targets)
        headers_of[target].insert(path);
    }
  }
  for (auto& [target, headers] : headers_of)
    inputs_of[target].system_headers.assign(headers.begin(), headers.end());
  return inputs_of;
}

}  // namespace vigil::regulatory
