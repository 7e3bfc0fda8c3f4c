#include "regulatory/sbom/third_party_components.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"
#include "regulatory/sbom/debian_packages.h"
#include "regulatory/sbom/linked_libraries.h"

namespace vigil::regulatory {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json Property(const std::string& name, const std::string& value) {
  return {{"name", name}, {"value", value}};
}

json PackageComponent(const DebianPackage& p, const std::string& type,
                      const std::string& ref_prefix) {
  json c = {{"type", type},
            {"bom-ref", ref_prefix + p.name},
            {"publisher", "Debian"},
            {"name", p.name},
            {"version", p.version},
            {"purl", DebianPurl(p)},
            {"licenses", CycloneDxLicenses(p)},
            {"properties", json::array()}};
  if (!p.homepage.empty())
    c["externalReferences"] = json::array({{{"type", "website"}, {"url", p.homepage}}});
  if (!p.source_package.empty())
    c["properties"].push_back(Property("vigil:debian-source", p.source_package));
  return c;
}

struct Usage {
  std::set<std::string> linkages, files, binaries;
};

// Header-only packages that are headers of a linked library: a -dev package depending on a linked
// package (libssl-dev -> libssl3), and what such a package depends on in turn (libc6-dev ->
// linux-libc-dev). What remains of the headers is code compiled in (nlohmann-json, FlatBuffers).
std::set<std::string> HeadersOfLinkedLibraries(const std::map<std::string, Usage>& packages,
                                               const std::map<std::string, DebianPackage>& info) {
  auto headers_only = [](const Usage& u) {
    return u.linkages.size() == 1 && u.linkages.count("compiled-in");
  };
  std::set<std::string> result;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, u] : packages) {
      if (!headers_only(u) || result.count(name)) continue;
      bool linked_dependency = false;
      for (const std::string& d : info.at(name).depends) {
        auto it = packages.find(d);
        linked_dependency =
            linked_dependency || (it != packages.end() && !it->second.files.empty());
      }
      bool pulled_in = false;
      for (const std::string& other : result) {
        const auto& deps = info.at(other).depends;
        pulled_in = pulled_in || std::find(deps.begin(), deps.end(), name) != deps.end();
      }
      if (linked_dependency || pulled_in) grew = result.insert(name).second;
    }
  }
  return result;
}

}  // namespace

ThirdParty FindThirdPartyComponents(const std::string& build_dir,
                                    const std::vector<std::string>& binaries) {
  std::map<std::string, Usage> packages;  // package -> how it is used
  std::map<std::string, std::string> linkage_of_path;
  std::map<std::string, std::string> binary_of_path;
  std::vector<std::string> headers;
  ThirdParty out;
  std::set<std::string> sources = {"ldd"};
  for (const std::string& binary : binaries) {
    std::string ref = "vigil:" + fs::path(binary).filename().string();
    std::string dir = BuildDirOf(binary);
    if (dir.empty()) dir = build_dir;
    std::string target = fs::relative(fs::absolute(binary), fs::absolute(dir)).string();
    if (!binary.ends_with(".a")) {
      ElfImage image = ReadElfImage(binary);
      if (image.elf && !image.dynamic) {
        // A static image (the Cortex-M firmware): no loader, so ldd has nothing to read; its
        // libraries are what its link took.
        std::vector<std::string> archives = LinkedArchives(dir, target);
        if (archives.empty()) {
          throw HostError(binary + ": a statically linked " + image.machine +
                          " image, and no Ninja build that links it was found to list its "
                          "libraries (looked for build.ninja above it)");
        }
        sources.insert("relink with -Wl,--trace");
        for (const std::string& a : archives) {
          linkage_of_path[a] = "static";
          binary_of_path[a] = ref;
        }
      } else {
        for (const std::string& so : DynamicLibraries(binary)) {
          linkage_of_path[so] = "dynamic";
          binary_of_path[so] = ref;
        }
      }
    }
    BuildInputs in = NinjaBuildInputs(dir, target);
    if (!in.system_headers.empty()) sources.insert("ninja -t inputs, ninja -t deps");
    for (const std::string& a : in.archives) {
      linkage_of_path[a] = "static";
      binary_of_path[a] = ref;
    }
    for (const std::string& h : in.system_headers) {
      linkage_of_path.emplace(h, "compiled-in");
      binary_of_path.emplace(h, ref);
    }
  }
  for (const std::string& source : sources)
    out.how_found += (out.how_found.empty() ? "" : ", ") + source;
  std::vector<std::string> paths;
  for (const auto& [path, unused] : linkage_of_path)
    paths.push_back(path);
  std::map<std::string, std::string> owner = PackagesOwning(paths);
  for (const auto& [path, package] : owner) {
    Usage& u = packages[package];
    u.linkages.insert(linkage_of_path[path]);
    u.binaries.insert(binary_of_path[path]);
    if (linkage_of_path[path] != "compiled-in") {
      std::string resolved = fs::canonical(path).string();
      u.files.insert(resolved + " sha256:" + Sha256HexOfFile(resolved));
    }
  }
  std::vector<std::string> names;
  for (const auto& [name, u] : packages)
    names.push_back(name);
  std::map<std::string, DebianPackage> info = QueryDebianPackages(names);
  std::set<std::string> headers_of_linked = HeadersOfLinkedLibraries(packages, info);
  for (auto& [name, u] : packages) {
    if (headers_of_linked.count(name)) continue;
    json c = PackageComponent(info[name], "library", "deb:");
    for (const std::string& l : u.linkages)
      c["properties"].push_back(Property("vigil:linkage", l));
    for (const std::string& f : u.files)
      c["properties"].push_back(Property("vigil:file", f));
    out.components.push_back(c);
    for (const std::string& b : u.binaries)
      out.used_by[b].push_back("deb:" + name);
  }
  return out;
}

json ToolchainComponents(const std::string& build_dir) {
  std::string cache_path = build_dir + "/CMakeCache.txt";
  json tools = json::array();
  if (!fs::exists(cache_path)) return tools;
  static const std::set<std::string> kKeys = {
      "CMAKE_CXX_COMPILER", "CMAKE_C_COMPILER", "CMAKE_LINKER", "CMAKE_AR",
      "CMAKE_MAKE_PROGRAM", "CMAKE_COMMAND",    "FLATC"};
  std::map<std::string, std::string> role_of_path;
  std::istringstream lines(ReadFileText(cache_path));
  for (std::string line; std::getline(lines, line);) {
    size_t colon = line.find(':'), eq = line.find('=');
    if (colon == std::string::npos || eq == std::string::npos || colon > eq) continue;
    std::string key = line.substr(0, colon), value = line.substr(eq + 1);
    if (kKeys.count(key) && fs::exists(value))
      role_of_path[value] += (role_of_path[value].empty() ? "" : ",") + key;
  }
  // A build configured with a toolchain file (the firmware's) keeps its compilers out of the cache,
  // in CMakeFiles/<cmake version>/CMake{C,CXX}Compiler.cmake: set(CMAKE_CXX_COMPILER "/usr/bin/...").
  static const std::regex kCompilerSet(R"re(set\((CMAKE_CX?X?_COMPILER) "([^"]+)"\))re");
  if (fs::is_directory(build_dir + "/CMakeFiles")) {
    for (const auto& version : fs::directory_iterator(build_dir + "/CMakeFiles")) {
      for (const char* file : {"/CMakeCCompiler.cmake", "/CMakeCXXCompiler.cmake"}) {
        std::string path = version.path().string() + file;
        if (!fs::exists(path)) continue;
        std::string text = ReadFileText(path);
        for (std::sregex_iterator m(text.begin(), text.end(), kCompilerSet), end; m != end; ++m) {
          std::string role = (*m)[1], tool = (*m)[2];
          if (fs::exists(tool) && role_of_path[tool].find(role) == std::string::npos)
            role_of_path[tool] += (role_of_path[tool].empty() ? "" : ",") + role;
        }
      }
    }
  }
  std::vector<std::string> paths;
  for (const auto& [path, unused] : role_of_path)
    paths.push_back(path);
  std::map<std::string, std::set<std::string>> roles_of_package;
  std::vector<std::string> names;
  for (const auto& [path, package] : PackagesOwning(paths)) {
    roles_of_package[package].insert(role_of_path[path]);
    names.push_back(package);
  }
  std::map<std::string, DebianPackage> info = QueryDebianPackages(names);
  for (const auto& [package, roles] : roles_of_package) {
    json c = PackageComponent(info.at(package), "application", "tool:");
    for (const std::string& r : roles)
      c["properties"].push_back(Property("vigil:build-role", r));
    tools.push_back(c);
  }
  return tools;
}

}  // namespace vigil::regulatory
