// What Debian knows about the files a Vigil build uses: which package owns a file (dpkg -S), the
// package's version and origin (dpkg-query), and its license (the machine-readable DEP-5
// /usr/share/doc/<package>/copyright), expressed as CycloneDX licenses.
//
//   std::map<std::string, std::string> owner =
//       PackagesOwning({"/usr/lib/x86_64-linux-gnu/libssl.so.3"});
//   DebianPackage ssl = QueryDebianPackages({owner.begin()->second}).begin()->second;  // libssl3
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vigil::regulatory {

struct DebianPackage {
  std::string name, version, architecture, homepage, source_package;
  std::vector<std::string> depends;  // package names only, no versions or alternatives
  std::string license;               // the DEP-5 License of "Files: *", e.g. "Apache-2.0", "GPL-2+"
  std::string spdx_expression;       // for the few packages whose copyright file is not DEP-5
  std::string copyright_path;        // /usr/share/doc/<name>/copyright
};

// File path -> the package (without ":arch") owning the file it resolves to. Paths no package owns
// are left out. One dpkg call for all paths.
std::map<std::string, std::string> PackagesOwning(const std::vector<std::string>& paths);

// Name -> package for every name, in one dpkg-query call (a build links a few hundred packages,
// and one process per package made `vigil sbom` take a minute). Throws HostError naming the first
// package dpkg-query does not know.
std::map<std::string, DebianPackage> QueryDebianPackages(const std::vector<std::string>& names);

// The License of the "Files: *" paragraph of a DEP-5 copyright file; empty if it is not DEP-5.
std::string Dep5MainLicense(const std::string& copyright_text);

// A CycloneDX `licenses` array: an SPDX id or expression where every DEP-5 term has a known SPDX
// equivalent ("Expat" -> MIT, "GPL-2+" -> GPL-2.0-or-later), else the DEP-5 text as a name.
nlohmann::json CycloneDxLicenses(const std::string& license,
                                 const std::string& copyright_path = "");
nlohmann::json CycloneDxLicenses(const DebianPackage& package);

// The SPDX id of one license name (DEP-5 or SPDX spelling), or "" when unknown.
std::string SpdxId(const std::string& name);

// pkg:deb/debian/<name>@<version>?arch=<arch>
std::string DebianPurl(const DebianPackage& package);

}  // namespace vigil::regulatory
