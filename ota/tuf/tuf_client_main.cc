// vigil-tuf-client: Vigil's TUF client behind the command-line protocol of the TUF conformance
// suite (tuf-conformance's CLIENT-CLI.md), so the same code the device runs can be checked
// against an external suite:
//
//   vigil-tuf-client --metadata-dir DIR init TRUSTED_ROOT
//   vigil-tuf-client --metadata-url URL --metadata-dir DIR refresh
//   vigil-tuf-client --metadata-url URL --metadata-dir DIR --target-name P [--target-name P2 ...]
//                    --target-dir TDIR --target-base-url TURL download
//
// The protocol knows two exit codes: 0 success, 1 any failure (usage errors included).
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"
#include "ota/tuf/updater.h"

namespace {

int Download(vigil::ota::Updater& updater, const std::vector<std::string>& names,
             const std::string& target_dir) {
  std::filesystem::create_directories(target_dir);
  for (const std::string& name : names) {
    std::optional<vigil::ota::TargetFile> info = updater.GetTargetInfo(name);
    if (!info) throw vigil::HostError(name + ": no trusted targets metadata lists this target");
    if (updater.FindCachedTarget(*info, target_dir)) {
      std::printf("%s: up to date\n", name.c_str());
      continue;
    }
    std::printf("%s: downloaded to %s\n", name.c_str(),
                updater.DownloadTarget(*info, target_dir).c_str());
  }
  return 0;
}

int Run(int argc, char** argv) {
  vigil::CommandLine cli("vigil-tuf-client",
                         "A TUF client (specification section 5) speaking the "
                         "TUF conformance suite's client protocol.");
  std::string metadata_dir, metadata_url, target_dir, target_base_url, command, trusted_root;
  std::vector<std::string> target_names;
  cli.Option("", "--metadata-dir", &metadata_dir, "DIR",
             "trusted metadata (root.json, timestamp.json, ...)");
  cli.Option("", "--metadata-url", &metadata_url, "URL", "base URL of the repository's metadata");
  cli.Repeated("", "--target-name", &target_names, "PATH", "target path to download, in order");
  cli.Option("", "--target-dir", &target_dir, "DIR", "where downloaded targets go");
  cli.Option("", "--target-base-url", &target_base_url, "URL",
             "base URL of the repository's targets");
  cli.Positional("COMMAND", &command, "init | refresh | download");
  cli.Positional("TRUSTED_ROOT", &trusted_root, "for init: the initial trusted root.json", false);
  if (auto code = cli.Parse(argc, argv)) return *code == 0 ? 0 : 1;
  if (metadata_dir.empty()) throw vigil::HostError("--metadata-dir is required");

  if (command == "init") {
    if (trusted_root.empty()) throw vigil::HostError("init needs TRUSTED_ROOT");
    std::filesystem::create_directories(metadata_dir);
    vigil::WriteFileAtomic(metadata_dir + "/root.json", vigil::ReadFileBytes(trusted_root));
    return 0;
  }
  if (metadata_url.empty()) throw vigil::HostError(command + " needs --metadata-url");
  vigil::ota::CurlFetcher fetcher;
  if (command == "refresh") {
    vigil::ota::Updater updater(metadata_dir, metadata_url, target_base_url, fetcher);
    updater.Refresh();
    return 0;
  }
  if (command == "download") {
    if (target_names.empty() || target_dir.empty() || target_base_url.empty()) {
      throw vigil::HostError("download needs --target-name, --target-dir and --target-base-url");
    }
    vigil::ota::Updater updater(metadata_dir, metadata_url, target_base_url, fetcher);
    return Download(updater, target_names, target_dir);
  }
  throw vigil::HostError("unknown command '" + command + "' (init, refresh, download)");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-tuf-client: error: %s\n", e.what());
    return 1;
  }
}
