#include "regulatory/sbom/debian_packages.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "host/atomic_file.h"
#include "host/error.h"
#include "regulatory/shell/shell_command.h"

namespace vigil::regulatory {
namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_last_not_of(" \t\r\n");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

std::vector<std::string> SplitTerms(const std::string& expression, std::string* joiner) {
  std::vector<std::string> terms;
  std::string rest = expression;
  *joiner = "";
  for (const char* word : {" or ", " and "}) {
    if (rest.find(word) == std::string::npos) continue;
    *joiner = std::string(word) == " or " ? " OR " : " AND ";
    size_t p;
    while ((p = rest.find(word)) != std::string::npos) {
      terms.push_back(Trim(rest.substr(0, p)));
      rest = rest.substr(p + std::string(word).size());
    }
    break;
  }
  terms.push_back(Trim(rest));
  return terms;
}

}  // namespace

std::string SpdxId(const std::string& name) {
  // DEP-5 short names (https://dep-team.pages.debian.net/deps/dep5/) and SPDX spellings of the
  // licenses Vigil's dependencies carry; anything else stays a plain name.
  static const std::map<std::string, std::string> kSpdx = {
      {"Apache-2.0", "Apache-2.0"},
      {"Expat", "MIT"},
      {"MIT", "MIT"},
      {"BSD-2-clause", "BSD-2-Clause"},
      {"BSD-2-Clause", "BSD-2-Clause"},
      {"BSD-3-clause", "BSD-3-Clause"},
      {"BSD-3-Clause", "BSD-3-Clause"},
      {"zlib/libpng", "Zlib"},
      {"Zlib", "Zlib"},
      {"ISC", "ISC"},
      {"X11", "X11"},
      {"BSL-1.0", "BSL-1.0"},
      {"MPL-2.0", "MPL-2.0"},
      {"CC0-1.0", "CC0-1.0"},
      {"CC-BY-4.0", "CC-BY-4.0"},
      {"ODC-By-1.0", "ODC-By-1.0"},
      {"GPL-1+", "GPL-1.0-or-later"},
      {"GPL-2", "GPL-2.0-only"},
      {"GPL-2+", "GPL-2.0-or-later"},
      {"GPL-2.0+", "GPL-2.0-or-later"},
      {"GPL-3", "GPL-3.0-only"},
      {"GPL-3+", "GPL-3.0-or-later"},
      {"LGPL-2.1", "LGPL-2.1-only"},
      {"LGPL-2.1+", "LGPL-2.1-or-later"},
      {"LGPL-3", "LGPL-3.0-only"},
      {"LGPL-3+", "LGPL-3.0-or-later"},
      {"OpenSSL", "OpenSSL"},
      {"PostgreSQL", "PostgreSQL"},
      {"curl", "curl"},
      {"blessing", "blessing"},
  };
  auto it = kSpdx.find(name);
  return it == kSpdx.end() ? "" : it->second;
}

std::map<std::string, std::string> PackagesOwning(const std::vector<std::string>& paths) {
  std::map<std::string, std::vector<std::string>>
      aliases;  // a name dpkg may know -> the path asked
  std::string args;
  for (const std::string& path : paths) {
    // The file itself, not a development symlink to it (libcrypto.so belongs to libssl-dev, the
    // libcrypto.so.3 it points at to libssl3). Debian 12 merges /lib into /usr/lib, and dpkg lists
    // a file under the name its package used, so ask for both.
    std::error_code ec;
    std::string resolved = std::filesystem::canonical(path, ec).string();
    if (resolved.empty()) resolved = path;
    std::string other = resolved.rfind("/usr/", 0) == 0 ? resolved.substr(4) : "/usr" + resolved;
    for (const std::string& name : {resolved, other}) {
      if (aliases[name].empty()) args += " " + ShellQuote(name);
      aliases[name].push_back(path);
    }
  }
  std::map<std::string, std::string> owner;
  if (args.empty()) return owner;
  std::istringstream lines(RunShellCommand("dpkg -S" + args).output);
  for (std::string line; std::getline(lines, line);) {
    size_t sep = line.find(": /");
    if (sep == std::string::npos || line.rfind("diversion", 0) == 0) continue;
    std::string package = line.substr(0, sep);
    package = package.substr(0, package.find(','));  // a path owned by several: take the first
    package = package.substr(0, package.find(':'));  // drop ":amd64"
    for (const std::string& asked : aliases[line.substr(sep + 2)])
      owner.emplace(asked, package);
  }
  return owner;
}

namespace {

// The license of the package's DEP-5 copyright file, or the known license of the few whose file
// is prose.
void AddLicense(DebianPackage& p) {
  p.copyright_path = "/usr/share/doc/" + p.name + "/copyright";
  if (std::filesystem::exists(p.copyright_path))
    p.license = Dep5MainLicense(ReadFileText(p.copyright_path));
  // The C and C++ runtimes' copyright files are prose, not DEP-5; their licenses are well known.
  static const std::map<std::string, std::string> kProseLicensed = {
      {"libc6", "LGPL-2.1-or-later"},
      {"libstdc++6", "GPL-3.0-or-later WITH GCC-exception-3.1"},
      {"libgcc-s1", "GPL-3.0-or-later WITH GCC-exception-3.1"},
  };
  if (p.license.empty() && kProseLicensed.count(p.name))
    p.spdx_expression = kProseLicensed.at(p.name);
}

}  // namespace

std::map<std::string, DebianPackage> QueryDebianPackages(const std::vector<std::string>& names) {
  std::map<std::string, DebianPackage> packages;
  if (names.empty()) return packages;
  std::string args;
  for (const std::string& name : names)
    args += " " + ShellQuote(name);
  // dpkg-query prints the packages it knows and exits 1 if any is unknown: the check is below.
  ShellResult r = RunShellCommand(
      "dpkg-query -W "
      "-f='${Package}\\t${Version}\\t${Architecture}\\t${Homepage}\\t${source:Package}\\t${Depends}"
      "\\n'" +
      args);
  std::istringstream lines(r.output);
  for (std::string text; std::getline(lines, text);) {
    std::istringstream line(text);
    DebianPackage p;
    std::string depends;
    if (!std::getline(line, p.name, '\t') || !std::getline(line, p.version, '\t')) continue;
    std::getline(line, p.architecture, '\t');
    std::getline(line, p.homepage, '\t');
    std::getline(line, p.source_package, '\t');
    std::getline(line, depends);
    std::istringstream items(depends);
    for (std::string item; std::getline(items, item, ',');) {
      std::string dep = Trim(item);
      dep = dep.substr(0, dep.find_first_of(" (|:"));
      if (!dep.empty()) p.depends.push_back(dep);
    }
    AddLicense(p);
    packages.emplace(p.name, std::move(p));
  }
  for (const std::string& name : names) {
    if (!packages.count(name)) throw HostError("dpkg-query does not know package '" + name + "'");
  }
  return packages;
}

std::string Dep5MainLicense(const std::string& text) {
  if (text.find("Format:") == std::string::npos) return "";
  std::istringstream lines(text);
  bool in_main = false;
  for (std::string line; std::getline(lines, line);) {
    if (Trim(line).empty()) {
      in_main = false;  // paragraphs end at a blank line
    } else if (line.rfind("Files:", 0) == 0) {
      std::string patterns = " " + Trim(line.substr(6)) + " ";
      in_main = patterns.find(" * ") != std::string::npos;
    } else if (in_main && line.rfind("License:", 0) == 0) {
      return Trim(line.substr(8));
    }
  }
  return "";
}

nlohmann::json CycloneDxLicenses(const std::string& license, const std::string& copyright_path) {
  if (license.empty()) {
    nlohmann::json entry = {
        {"name", "unknown: see " + (copyright_path.empty() ? "the distribution" : copyright_path)}};
    return nlohmann::json::array({{{"license", entry}}});
  }
  std::string joiner;
  std::vector<std::string> terms = SplitTerms(license, &joiner);
  std::string expression;
  for (const std::string& term : terms) {
    std::string id = SpdxId(term);
    if (id.empty()) {
      nlohmann::json entry = {{"name", license}};
      if (!copyright_path.empty()) entry["url"] = "file://" + copyright_path;
      return nlohmann::json::array({{{"license", entry}}});
    }
    expression += (expression.empty() ? "" : joiner) + id;
  }
  if (terms.size() == 1) return nlohmann::json::array({{{"license", {{"id", expression}}}}});
  return nlohmann::json::array({{{"expression", expression}}});
}

nlohmann::json CycloneDxLicenses(const DebianPackage& p) {
  if (!p.spdx_expression.empty())
    return nlohmann::json::array({{{"expression", p.spdx_expression}}});
  return CycloneDxLicenses(p.license, p.copyright_path);
}

std::string DebianPurl(const DebianPackage& p) {
  std::string version;  // purl percent-encodes a version's '+' and an epoch's ':'
  for (char c : p.version) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
        c == '~') {
      version += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", static_cast<unsigned char>(c));
      version += hex;
    }
  }
  return "pkg:deb/debian/" + p.name + "@" + version + "?arch=" + p.architecture;
}

}  // namespace vigil::regulatory
