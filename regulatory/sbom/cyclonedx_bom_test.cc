// The SBOM of a real binary (this test), checked against facts from elsewhere: the library versions
// the libraries report themselves, their published licenses, `sha256sum`, and the official
// CycloneDX 1.5 schema (tools/npm).
#include "regulatory/sbom/cyclonedx_bom.h"

#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <tinyxml2.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "host/atomic_file.h"
#include "host/error.h"
#include "regulatory/sbom/debian_packages.h"
#include "regulatory/sbom/linked_libraries.h"
#include "regulatory/sbom/model_card.h"
#include "regulatory/shell/shell_command.h"

namespace vigil::regulatory {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}
std::string Testdata() {
  return Env("VIGIL_SOURCE_DIR", ".") + "/regulatory/sbom/testdata";
}

// The shipped binaries, as `vigil sbom` describes them by default (the build makes them before
// this test), with the fixture model and data set.
SbomInputs TestInputs() {
  SbomInputs in;
  in.build_dir = Env("VIGIL_BINARY_DIR", "build");
  in.binaries = {in.build_dir + "/bin/vigil", in.build_dir + "/lib/libvigil_runtime.a",
                 in.build_dir + "/bin/vigil-seg"};
  in.models_dir = Testdata() + "/models";
  in.data_dir = Testdata() + "/data";
  return in;
}

const json& Bom() {
  static const json bom = BuildCycloneDxBom(TestInputs());
  return bom;
}

const json* Component(const std::string& name, const json& bom = Bom()) {
  for (const json& c : bom["components"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> Property(const json& c, const std::string& name) {
  std::vector<std::string> values;
  for (const json& p : c.value("properties", json::array())) {
    if (p["name"] == name) values.push_back(p["value"]);
  }
  return values;
}

TEST(Sbom, ListsLinkedLibrariesWithTheirDebianVersionAndLicense) {
  const json* ssl = Component("libssl3");  // owns libcrypto.so.3
  ASSERT_NE(ssl, nullptr) << Bom().dump(1);
  // Debian's version starts with the upstream version OpenSSL reports at run time.
  EXPECT_EQ((*ssl)["version"].get<std::string>().rfind(OpenSSL_version(OPENSSL_VERSION_STRING), 0),
            0u);
  EXPECT_EQ((*ssl)["licenses"][0]["license"]["id"], "Apache-2.0");  // OpenSSL 3's license
  EXPECT_EQ(Property(*ssl, "vigil:linkage"), (std::vector<std::string>{"dynamic"}));
  const json* xml = Component("libtinyxml2-9");
  ASSERT_NE(xml, nullptr);
  EXPECT_EQ(
      (*xml)["version"].get<std::string>().rfind(std::to_string(TIXML2_MAJOR_VERSION) + ".", 0),
      0u);
  EXPECT_EQ((*xml)["licenses"][0]["license"]["id"], "Zlib");
  EXPECT_EQ((*xml)["purl"].get<std::string>().rfind("pkg:deb/debian/libtinyxml2-9@", 0), 0u);
  // The hash of the linked file, as sha256sum computes it.
  std::string file = Property(*xml, "vigil:file").at(0);
  std::string path = file.substr(0, file.find(' '));
  std::string sum = RunShellCommand("sha256sum " + ShellQuote(path)).output.substr(0, 64);
  EXPECT_EQ(file.substr(file.find("sha256:") + 7), sum);
}

TEST(Sbom, ListsHeaderOnlyLibrariesAsCompiledInButNotHeadersOfLinkedOnes) {
  if (!fs::exists(TestInputs().build_dir + "/build.ninja")) GTEST_SKIP() << "not a Ninja build";
  const json* nlohmann_json = Component("nlohmann-json3-dev");
  ASSERT_NE(nlohmann_json, nullptr);
  EXPECT_EQ(Property(*nlohmann_json, "vigil:linkage"), (std::vector<std::string>{"compiled-in"}));
  EXPECT_EQ((*nlohmann_json)["licenses"][0]["license"]["id"], "MIT");
  EXPECT_EQ(Component("libssl-dev"), nullptr);  // its headers belong to the linked libssl3
  const json* flatbuffers = Component("libflatbuffers-dev");  // the runtime reads models with it
  ASSERT_NE(flatbuffers, nullptr);
  EXPECT_EQ(Property(*flatbuffers, "vigil:linkage"), (std::vector<std::string>{"compiled-in"}));
  EXPECT_EQ((*flatbuffers)["licenses"][0]["license"]["id"], "Apache-2.0");
}

TEST(Sbom, ListsStaticArchivesOnTheLinkLine) {
  if (!fs::exists(TestInputs().build_dir + "/build.ninja")) GTEST_SKIP() << "not a Ninja build";
  SbomInputs in = TestInputs();
  in.binaries = {fs::canonical("/proc/self/exe").string()};  // this test links libgtest.a
  json bom = BuildCycloneDxBom(in);
  const json* gtest = Component("libgtest-dev", bom);
  ASSERT_NE(gtest, nullptr);
  std::vector<std::string> linkage = Property(*gtest, "vigil:linkage");
  EXPECT_NE(std::find(linkage.begin(), linkage.end(), "static"), linkage.end());
}

TEST(Sbom, HashesVigilBinariesAndNamesTheToolchain) {
  const json& self = Bom()["components"][0];
  EXPECT_EQ(self["type"], "application");
  EXPECT_EQ(Bom()["components"][1]["type"], "library");  // libvigil_runtime.a
  std::string path = TestInputs().binaries[0];
  EXPECT_EQ(self["hashes"][0]["content"],
            RunShellCommand("sha256sum " + ShellQuote(path)).output.substr(0, 64));
  std::set<std::string> roles;
  for (const json& tool : Bom()["formulation"][0]["components"]) {
    for (const std::string& r : Property(tool, "vigil:build-role"))
      roles.insert(r);
  }
  EXPECT_TRUE(roles.count("CMAKE_CXX_COMPILER")) << Bom()["formulation"].dump(1);
  EXPECT_TRUE(roles.count("CMAKE_MAKE_PROGRAM"));
}

TEST(Sbom, DescribesModelsAndTheirDataSets) {
  const json* model = Component("demo_ecg");
  ASSERT_NE(model, nullptr);
  EXPECT_EQ((*model)["type"], "machine-learning-model");
  EXPECT_EQ((*model)["version"], "1.2.0");
  std::string vgl = Testdata() + "/models/demo_ecg/model.vgl";
  EXPECT_EQ((*model)["hashes"][0]["content"],
            RunShellCommand("sha256sum " + ShellQuote(vgl)).output.substr(0, 64));
  EXPECT_EQ((*model)["modelCard"]["modelParameters"]["datasets"][0]["ref"], "data:Demo ECG set");
  const json* data = Component("Demo ECG set");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ((*data)["type"], "data");
  EXPECT_EQ((*data)["licenses"][0]["license"]["id"], "ODC-By-1.0");
  EXPECT_EQ(Property(*data, "vigil:used-for"),
            (std::vector<std::string>{"calibration", "training"}));
  // Linked to the folder by its manifest hash, so the folder is not listed a second time.
  EXPECT_EQ(Property(*data, "vigil:source-folder"), (std::vector<std::string>{"demo_set"}));
  EXPECT_EQ(Component("demo_set"), nullptr);
}

TEST(Sbom, ListsEveryFileOfAnUpdatePackage) {
  SbomInputs in = TestInputs();
  in.models_dir = "";
  in.package_dir = Testdata() + "/models/demo_ecg";  // a package holding a model and its card
  json bom = BuildCycloneDxBom(in);
  const json* vgl = Component("model.vgl", bom);
  ASSERT_NE(vgl, nullptr);
  EXPECT_EQ((*vgl)["type"], "file");
  const json* model = Component("demo_ecg", bom);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ((*vgl)["hashes"][0]["content"], (*model)["hashes"][0]["content"]);
  EXPECT_NE(Component("model_card.json", bom), nullptr);
}

TEST(Sbom, RejectsAModelWhoseFileDoesNotMatchItsCard) {
  char pattern[] = "/tmp/vigil_sbom_XXXXXX";
  std::string dir = mkdtemp(pattern);
  fs::copy(Testdata() + "/models", dir + "/models", fs::copy_options::recursive);
  WriteFileAtomic(dir + "/models/demo_ecg/model.vgl", std::string("tampered"));
  try {
    ReadModelCards(dir + "/models");
    ADD_FAILURE() << "a tampered model file was accepted";
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("model.vgl has SHA-256"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(Sbom, ReadsDebianLicensesAndLddOutput) {
  std::string dep5 =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
      "Files: debian/*\nLicense: GPL-2+\n\nFiles: *\nCopyright: 2000 X\nLicense: Artistic or "
      "GPL-1+\n";
  EXPECT_EQ(Dep5MainLicense(dep5), "Artistic or GPL-1+");
  EXPECT_EQ(Dep5MainLicense("This is not machine-readable.\nLicense: GPL\n"), "");
  EXPECT_EQ(CycloneDxLicenses("GPL-2+ or Expat"),
            json::parse(R"([{"expression":"GPL-2.0-or-later OR MIT"}])"));
  EXPECT_EQ(CycloneDxLicenses("GAP")[0]["license"]["name"], "GAP");
  EXPECT_EQ(
      ParseLddOutput(
          "\tlinux-vdso.so.1 (0x7ffd)\n\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x7f)\n"
          "\t/lib64/ld-linux-x86-64.so.2 (0x7f)\n"),
      (std::vector<std::string>{"/lib/x86_64-linux-gnu/libssl.so.3",
                                "/lib64/ld-linux-x86-64.so.2"}));
  DebianPackage epoch;
  epoch.name = "libfoo";
  epoch.version = "1:2.0+dfsg-1";
  epoch.architecture = "amd64";
  EXPECT_EQ(DebianPurl(epoch), "pkg:deb/debian/libfoo@1%3A2.0%2Bdfsg-1?arch=amd64");
}

// The official CycloneDX 1.5 JSON schema, through the validator pinned in tools/npm.
int Validate(const std::string& bom_path) {
  std::string source = Env("VIGIL_SOURCE_DIR", ".");
  return RunShellCommand("node " + ShellQuote(source + "/regulatory/sbom/validate_cyclonedx.js") +
                         " " + ShellQuote(source + "/tools/npm") + " " + ShellQuote(bom_path))
      .exit_status;
}

TEST(Sbom, ValidatesAgainstTheCycloneDx15Schema) {
  std::string source = Env("VIGIL_SOURCE_DIR", ".");
  if (!fs::exists(source + "/tools/npm/node_modules/@cyclonedx/cyclonedx-library")) {
    GTEST_SKIP()
        << "tools/npm/node_modules is absent: run ./setup.sh (npm ci) to get the CycloneDX schema";
  }
  char pattern[] = "/tmp/vigil_bom_XXXXXX";
  std::string dir = mkdtemp(pattern);
  WriteFileAtomic(dir + "/bom.json", Bom().dump(2));
  EXPECT_EQ(Validate(dir + "/bom.json"), 0);
  json broken = Bom();
  broken["components"][0]["type"] = "model";  // not a CycloneDX 1.5 component type
  WriteFileAtomic(dir + "/broken.json", broken.dump(2));
  EXPECT_EQ(Validate(dir + "/broken.json"), 1);
  fs::remove_all(dir);
}

// `vigil sbom` as CI runs it: this build and the models the repository ships, whose cards must
// name files that exist and hash as stated (paths are relative to the card).
TEST(Sbom, DescribesTheShippedModelsAndValidates) {
  SbomInputs in = TestInputs();
  in.models_dir = Env("VIGIL_SOURCE_DIR", ".") + "/models";
  in.data_dir = Env("VIGIL_DATA_DIR", "../shared/data");
  json bom = BuildCycloneDxBom(in);
  std::set<std::string> models;
  for (const json& c : bom["components"]) {
    if (c["type"] == "machine-learning-model") {
      models.insert(c["name"].get<std::string>());
      EXPECT_FALSE(c["hashes"].empty()) << c["name"];
    }
  }
  EXPECT_EQ(models, (std::set<std::string>{"ecg_classifier", "vigil-glas-unet"}));
  std::string source = Env("VIGIL_SOURCE_DIR", ".");
  if (!fs::exists(source + "/tools/npm/node_modules/@cyclonedx/cyclonedx-library")) {
    GTEST_SKIP()
        << "tools/npm/node_modules is absent: run ./setup.sh (npm ci) to get the CycloneDX schema";
  }
  char pattern[] = "/tmp/vigil_bom_XXXXXX";
  std::string dir = mkdtemp(pattern);
  WriteFileAtomic(dir + "/bom.json", bom.dump(2));
  EXPECT_EQ(Validate(dir + "/bom.json"), 0);
  fs::remove_all(dir);
}

// The Cortex-M firmware that ships on the device: a static ARM image ldd cannot read, described from
// what built it. Checked against the cross compiler's own answers, dpkg and sha256sum.
std::string FirmwareElf() {
  return TestInputs().build_dir + "/firmware/bin/vigil_model_runner.elf";
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

TEST(Sbom, ReadsWhatAnElfImageIsFor) {
  ElfImage host = ReadElfImage(TestInputs().binaries[0]);
  EXPECT_TRUE(host.elf && host.for_this_host && host.dynamic);
  EXPECT_FALSE(ReadElfImage(TestInputs().binaries[1]).elf);  // libvigil_runtime.a: an archive
  if (!fs::exists(FirmwareElf())) GTEST_SKIP() << "no firmware build (arm-none-eabi-g++ and QEMU)";
  ElfImage firmware = ReadElfImage(FirmwareElf());
  EXPECT_TRUE(firmware.elf);
  EXPECT_EQ(firmware.machine, "ARM");
  EXPECT_FALSE(firmware.for_this_host);
  EXPECT_FALSE(firmware.dynamic);
  std::string version = Trimmed(RunShellCommand("arm-none-eabi-gcc -dumpfullversion").output);
  ASSERT_FALSE(version.empty());
  ASSERT_FALSE(firmware.compilers.empty());
  EXPECT_EQ(firmware.compilers[0].rfind("GCC: ", 0), 0u) << firmware.compilers[0];
  EXPECT_NE(firmware.compilers[0].find(version), std::string::npos) << firmware.compilers[0];
}

TEST(Sbom, DescribesTheFirmwareImageFromItsBuild) {
  if (!fs::exists(FirmwareElf())) GTEST_SKIP() << "no firmware build (arm-none-eabi-g++ and QEMU)";
  SbomInputs in = TestInputs();
  in.binaries = {FirmwareElf()};
  json bom = BuildCycloneDxBom(in);
  const json* image = Component("vigil_model_runner.elf", bom);
  ASSERT_NE(image, nullptr);
  EXPECT_EQ((*image)["type"], "firmware");
  EXPECT_EQ(Property(*image, "vigil:machine"), (std::vector<std::string>{"ARM"}));
  EXPECT_EQ(Property(*image, "vigil:linking"), (std::vector<std::string>{"static"}));
  // newlib's C library and libstdc++ of the multilib the Cortex-M4F flags select, each with its
  // Debian version and the SHA-256 of the archive linked.
  std::string flags = " -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 ";
  for (auto [package, archive] : {std::pair{"libnewlib-arm-none-eabi", "libc.a"},
                                  {"libstdc++-arm-none-eabi-newlib", "libstdc++.a"},
                                  {"gcc-arm-none-eabi", "libgcc.a"}}) {
    const json* c = Component(package, bom);
    ASSERT_NE(c, nullptr) << package << " missing: " << bom["components"].dump(1);
    EXPECT_EQ((*c)["version"],
              RunShellCommand(std::string("dpkg-query -W -f='${Version}' ") + package).output);
    std::vector<std::string> linkage = Property(*c, "vigil:linkage");
    EXPECT_NE(std::find(linkage.begin(), linkage.end(), "static"), linkage.end()) << package;
    std::string path = fs::canonical(Trimmed(
        RunShellCommand("arm-none-eabi-g++" + flags + "-print-file-name=" + archive).output));
    std::string file =
        path + " sha256:" + RunShellCommand("sha256sum " + ShellQuote(path)).output.substr(0, 64);
    std::vector<std::string> files = Property(*c, "vigil:file");
    EXPECT_NE(std::find(files.begin(), files.end(), file), files.end())
        << file << " not in " << c->dump(1);
  }
  // The cross compiler that built it is in the formulation.
  bool cross_compiler = false;
  for (const json& tool : bom["formulation"][0]["components"])
    cross_compiler = cross_compiler || tool["name"] == "gcc-arm-none-eabi";
  EXPECT_TRUE(cross_compiler) << bom["formulation"].dump(1);
  std::string source = Env("VIGIL_SOURCE_DIR", ".");
  if (!fs::exists(source + "/tools/npm/node_modules/@cyclonedx/cyclonedx-library")) return;
  char pattern[] = "/tmp/vigil_bom_XXXXXX";
  std::string dir = mkdtemp(pattern);
  WriteFileAtomic(dir + "/bom.json", bom.dump(2));
  EXPECT_EQ(Validate(dir + "/bom.json"), 0);
  fs::remove_all(dir);
}

// A static image with no build beside it cannot be described: said so, naming the file.
TEST(Sbom, RefusesAStaticImageWithoutTheBuildThatLinkedIt) {
  if (!fs::exists(FirmwareElf())) GTEST_SKIP() << "no firmware build (arm-none-eabi-g++ and QEMU)";
  char pattern[] = "/tmp/vigil_fw_XXXXXX";
  std::string dir = mkdtemp(pattern);
  fs::copy_file(FirmwareElf(), dir + "/firmware.elf");
  SbomInputs in = TestInputs();
  in.build_dir = dir;
  in.binaries = {dir + "/firmware.elf"};
  try {
    BuildCycloneDxBom(in);
    ADD_FAILURE() << "described a static image without its build";
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("firmware.elf: a statically linked ARM image"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::regulatory
