// `vigil package create | sign | rotate-root` (writing packages) and the dispatcher for
// `vigil package verify | inspect` (package_inspect_command.cc).
#include <cstdio>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/digest.h"
#include "host/error.h"
#include "host/loaded_model.h"
#include "host/npy.h"
#include "ota/commands/ota_commands.h"
#include "ota/device/validation_gate.h"
#include "ota/package/update_manifest.h"
#include "vigil/interpreter.h"

namespace vigil::ota {

int RunPackageVerify(int argc, char** argv);
int RunPackageInspect(int argc, char** argv);

namespace {

struct RoleKeyOptions {
  std::vector<std::string> root, targets, snapshot, timestamp;
  int root_threshold = 1, targets_threshold = 1, snapshot_threshold = 1, timestamp_threshold = 1;
  // And at most the number of that role's keys, which Repository::WriteRoot checks.
  static constexpr IntegerRange kThresholds{1, 255};
  std::string rsa_scheme = "rsassa-pss-sha256";

  void Declare(CommandLine& cli) {
    cli.Repeated("", "--root-key", &root, "PEM",
                 "root key (private: also signs; public: sign later)");
    cli.Repeated("", "--targets-key", &targets, "PEM", "targets key");
    cli.Repeated("", "--snapshot-key", &snapshot, "PEM", "snapshot key");
    cli.Repeated("", "--timestamp-key", &timestamp, "PEM", "timestamp key");
    cli.Option("", "--root-threshold", &root_threshold, "N", "signatures root needs (default 1)",
               kThresholds);
    cli.Option("", "--targets-threshold", &targets_threshold, "N",
               "signatures targets needs (default 1)", kThresholds);
    cli.Option("", "--snapshot-threshold", &snapshot_threshold, "N",
               "signatures snapshot needs (default 1)", kThresholds);
    cli.Option("", "--timestamp-threshold", &timestamp_threshold, "N",
               "signatures timestamp needs (default 1)", kThresholds);
    cli.Option("", "--rsa-scheme", &rsa_scheme, "NAME",
               "RSA padding: rsassa-pss-sha256 (default) or rsa-pkcs1v15-sha256");
  }
  std::map<std::string, KeyFiles> Read() const {
    std::map<std::string, KeyFiles> out;
    auto add = [&](const char* role, const std::vector<std::string>& paths, int threshold) {
      if (!paths.empty()) out[role] = ReadKeyFiles(paths, threshold, rsa_scheme);
    };
    add("root", root, root_threshold);
    add("targets", targets, targets_threshold);
    add("snapshot", snapshot, snapshot_threshold);
    add("timestamp", timestamp, timestamp_threshold);
    return out;
  }
};

// Release counters are 32-bit, as MCUboot's image security counter is, so a package also suits a
// device that keeps its counter in a 32-bit register or fuse bank (docs/updates.md).
constexpr IntegerRange kReleaseCounters{0, UINT32_MAX};
// Metadata lives at most a century; fractions of a day are allowed (tests use short expiries).
constexpr RealRange kExpiryDays{0, 36500, true};

TargetInput Target(const std::string& path, const std::string& file) {
  return {path, ReadFileBytes(file), nullptr};
}

// The name the manifest records for the i-th validation array: the model's input at that position
// (the gate refuses a count that differs from the model's, naming its inputs).
std::string ModelInputName(const Interpreter& interpreter, size_t i) {
  int index = static_cast<int>(i);
  return index < interpreter.input_count() ? interpreter.input_name(index)
                                           : "(model has no input " + std::to_string(i) + ")";
}

void SignWith(Repository& repo, const std::string& role,
              const std::map<std::string, KeyFiles>& keys) {
  auto it = keys.find(role);
  if (it == keys.end()) return;
  for (const PrivateKey& key : it->second.signers)
    repo.Sign(role, key);
}

int Create(int argc, char** argv) {
  CommandLine cli(
      "vigil package create",
      "Create (or publish the next version of) a signed model update package: "
      "a TUF repository holding the model, its validation set and the update manifest.");
  std::string output, model, expected, config, version, change_control, metric = "accuracy";
  std::vector<std::string> inputs;
  int64_t release_counter = 0, abi = kRuntimeAbiVersion;
  int class_index = 0;
  double floor = 0, max_drop = 0, expires_days = 30, root_expires_days = 365;
  std::vector<std::string> hardware_ids;
  RoleKeyOptions keys;
  cli.Option("-o", "--output", &output, "DIR",
             "package directory (created, or updated to a new version)");
  cli.Option("", "--model", &model, "FILE.vgl", "the model");
  cli.Repeated("", "--inputs", &inputs, "FILE.npy",
               "validation samples of one model input, float32 [N, <input shape>]; once per "
               "model input, in the model's input order");
  cli.Option("", "--expected", &expected, "FILE.npy", "validation labels [N] or masks [N, H, W]");
  cli.Option("", "--config", &config, "FILE", "optional configuration file shipped with the model");
  cli.Option("", "--model-version", &version, "TEXT", "the model's version, e.g. 1.2.0");
  cli.Option("", "--release-counter", &release_counter, "N",
             "security counter of this release (anti-rollback)", kReleaseCounters);
  cli.Repeated("", "--hardware-id", &hardware_ids, "ID", "hardware this model may run on");
  cli.Option("", "--runtime-abi", &abi, "N", "runtime ABI the model needs (default: this build's)",
             IntegerRange{1, UINT32_MAX});
  cli.Option("", "--change-control", &change_control, "ID",
             "change-control record of this release");
  cli.Option("", "--metric", &metric, "NAME", "accuracy (default), sensitivity or dice");
  cli.Option("", "--class", &class_index, "K", "class for sensitivity, foreground class for dice",
             IntegerRange{0, 65535});
  cli.Option("", "--floor", &floor, "X", "the metric must reach X on the validation set",
             RealRange{0, 1});
  cli.Option("", "--max-drop", &max_drop, "X",
             "and fall at most X below the running model's (default 0)", RealRange{0, 1});
  cli.Option("", "--expires-days", &expires_days, "D",
             "targets/snapshot/timestamp expire after D days (default 30)", kExpiryDays);
  cli.Option("", "--root-expires-days", &root_expires_days, "D",
             "a new root expires after D days (default 365)", kExpiryDays);
  keys.Declare(cli);
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (output.empty() || model.empty() || inputs.empty() || expected.empty() || version.empty() ||
      !cli.Given("--release-counter") || hardware_ids.empty() || change_control.empty() ||
      !cli.Given("--floor")) {
    std::fprintf(stderr,
                 "vigil package create: -o, --model, --inputs, --expected, --model-version, "
                 "--release-counter, "
                 "--hardware-id, --change-control and --floor are required\n");
    return 2;
  }
  std::map<std::string, KeyFiles> key_files = keys.Read();
  UpdateManifest m;
  m.model_version = version;
  m.release_counter = release_counter;
  m.hardware_ids = hardware_ids;
  m.runtime_abi_version = abi;
  m.change_control_id = change_control;
  m.acceptance = {ParseMetric(metric), class_index, floor, max_drop};
  std::vector<TargetInput> files = {Target("model.vgl", model),
                                    Target("validation/expected.npy", expected)};
  m.validation_expected = {"validation/expected.npy", Sha256Hex(files[1].bytes)};
  LoadedModel loaded = LoadedModel::FromBytes(files[0].bytes, model);
  ValidationSet set;
  set.expected = ParseNpy(files[1].bytes, expected);
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string target = "validation/input-" + std::to_string(i) + ".npy";
    files.push_back(Target(target, inputs[i]));
    std::string name = ModelInputName(loaded.interpreter(), i);
    set.inputs.push_back({name, ParseNpy(files.back().bytes, inputs[i])});
    m.validation_inputs.push_back({name, {target, Sha256Hex(files.back().bytes)}});
  }
  if (!config.empty()) {
    files.push_back(Target("config.json", config));
    m.config = PinnedTarget{"config.json", Sha256Hex(files.back().bytes)};
  }
  UpdateManifest::FromCustom(m.ToCustom(), "model.vgl");  // the same checks a device applies
  files[0].custom = m.ToCustom();
  // The device's gate on this host's runtime, before anything is written: a set that does not fit
  // every model input (count, names, shapes, types) is refused here, not found out on a device.
  double measured = MeasureMetric(files[0].bytes, set, m.acceptance);

  Repository repo(output);
  if (repo.Version("root") == 0) {
    std::map<std::string, RoleKeys> roles;
    for (const auto& [role, k] : key_files)
      roles[role] = k.keys;
    repo.WriteRoot(roles, DaysFromNow(root_expires_days));
    SignWith(repo, "root", key_files);
  }
  repo.WriteTargets(files, DaysFromNow(expires_days));
  SignWith(repo, "targets", key_files);
  repo.WriteSnapshot(DaysFromNow(expires_days));
  SignWith(repo, "snapshot", key_files);
  repo.WriteTimestamp(DaysFromNow(expires_days));
  SignWith(repo, "timestamp", key_files);
  std::printf(
      "%s: model %s (release counter %lld), targets v%lld, snapshot v%lld, timestamp v%lld, root "
      "v%lld\n",
      output.c_str(), version.c_str(), static_cast<long long>(release_counter),
      static_cast<long long>(repo.Version("targets")),
      static_cast<long long>(repo.Version("snapshot")),
      static_cast<long long>(repo.Version("timestamp")),
      static_cast<long long>(repo.Version("root")));
  std::printf("  %s on its validation set (this host's runtime): %.4f (floor %.4f)\n",
              MetricName(m.acceptance.metric), measured, m.acceptance.floor);
  // What each role lacks, counted as a device counts it (not from the keys given this time: a
  // root written by an earlier create keeps its signatures).
  RootMetadata root = ParseRoot(ParseEnvelope(repo.Load("root").dump(), "root"), "root");
  for (const char* role : {"root", "targets", "snapshot", "timestamp"}) {
    nlohmann::json state = SignatureState(repo, role, root);
    const int64_t valid = state["valid_signatures"].get<int64_t>();
    const int64_t threshold = state["threshold"].get<int64_t>();
    if (valid < threshold) {
      std::printf(
          "  %s v%lld has %lld of the %lld valid signatures it needs: sign it with 'vigil "
          "package sign %s --role %s --key KEY.pem'\n",
          role, state["version"].get<long long>(), static_cast<long long>(valid),
          static_cast<long long>(threshold), output.c_str(), role);
    }
  }
  return 0;
}

int Sign(int argc, char** argv) {
  CommandLine cli("vigil package sign",
                  "Add a signature to the newest version of one role of a package.");
  std::string dir, role, key_path, rsa_scheme = "rsassa-pss-sha256";
  cli.Positional("DIR", &dir, "the package directory");
  cli.Option("", "--role", &role, "ROLE", "root, targets, snapshot or timestamp");
  cli.Option("", "--key", &key_path, "PEM", "private key (PKCS#8)");
  cli.Option("", "--rsa-scheme", &rsa_scheme, "NAME",
             "RSA padding: rsassa-pss-sha256 (default) or rsa-pkcs1v15-sha256");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (role != "root" && role != "targets" && role != "snapshot" && role != "timestamp") {
    std::fprintf(stderr,
                 "vigil package sign: --role must be root, targets, snapshot or timestamp\n");
    return 2;
  }
  Repository repo(dir);
  PrivateKey key = PrivateKey::Load(key_path, ParseScheme(rsa_scheme));
  repo.Sign(role, key);
  std::printf("%s: signed %s v%lld with key %s\n", dir.c_str(), role.c_str(),
              static_cast<long long>(repo.Version(role)), key.Public().KeyId().c_str());
  if (role == "snapshot" && repo.RefreshTimestamp()) {
    std::printf(
        "  snapshot changed, so timestamp was rewritten unsigned: sign it with --role timestamp\n");
  }
  return 0;
}

int RotateRoot(int argc, char** argv) {
  CommandLine cli("vigil package rotate-root",
                  "Write the next root version with new keys. It must be signed by a threshold of "
                  "the old root keys "
                  "and of the new ones (give both with --sign-with, or sign later with 'package "
                  "sign --role root').");
  std::string dir;
  double root_expires_days = 365;
  std::vector<std::string> sign_with;
  RoleKeyOptions keys;
  cli.Positional("DIR", &dir, "the package directory");
  cli.Repeated("", "--sign-with", &sign_with, "PEM",
               "private root key (old or new) to sign the new root");
  cli.Option("", "--root-expires-days", &root_expires_days, "D",
             "the new root expires after D days (default 365)", kExpiryDays);
  keys.Declare(cli);
  if (auto code = cli.Parse(argc, argv)) return *code;
  Repository repo(dir);
  if (repo.Version("root") == 0)
    throw HostError(dir + ": no root to rotate; create the package first");
  std::map<std::string, RoleKeys> roles;
  for (const auto& [role, k] : keys.Read())
    roles[role] = k.keys;
  repo.WriteRoot(roles, DaysFromNow(root_expires_days));
  for (const std::string& path : sign_with)
    repo.Sign("root", PrivateKey::Load(path, ParseScheme(keys.rsa_scheme)));
  std::printf("%s: root v%lld written with %zu signature(s)\n", dir.c_str(),
              static_cast<long long>(repo.Version("root")), sign_with.size());
  return 0;
}

}  // namespace

int RunPackageCommand(int argc, char** argv) {
  return DispatchSubcommand(
      "vigil package",
      {{"create", "create a signed update package (or its next version)", Create},
       {"sign", "add a signature to one role of a package", Sign},
       {"rotate-root", "write the next root version with new keys", RotateRoot},
       {"verify", "verify a package as a device would", RunPackageVerify},
       {"inspect", "show a package's roles, signatures and manifest", RunPackageInspect}},
      argc, argv);
}

}  // namespace vigil::ota
