#include "ota/package/repository.h"

#include <ctime>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"

namespace vigil::ota {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const char* kSpecVersion = "1.0.31";

std::string Text(const std::vector<uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

UnixTime DaysFromNow(double days) {
  return static_cast<UnixTime>(std::time(nullptr)) + static_cast<UnixTime>(days * 86400);
}

Repository::Repository(std::string dir) : dir_(std::move(dir)) {
  fs::create_directories(dir_ + "/metadata");
  fs::create_directories(dir_ + "/targets");
}

int64_t Repository::Version(const std::string& role) const {
  if (role == "timestamp") {
    std::string path = dir_ + "/metadata/timestamp.json";
    if (!fs::exists(path)) return 0;
    return Load("timestamp")["signed"]["version"].get<int64_t>();
  }
  int64_t newest = 0;
  std::string suffix = "." + role + ".json";
  for (const auto& entry : fs::directory_iterator(dir_ + "/metadata")) {
    std::string name = entry.path().filename().string();
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    std::string number = name.substr(0, name.size() - suffix.size());
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) continue;
    newest = std::max<int64_t>(newest, std::stoll(number));
  }
  return newest;
}

std::string Repository::FilePath(const std::string& role, int64_t version) const {
  if (role == "timestamp") return dir_ + "/metadata/timestamp.json";
  return dir_ + "/metadata/" + std::to_string(version) + "." + PercentEncode(role) + ".json";
}

Json Repository::Load(const std::string& role) const {
  int64_t version = role == "timestamp" ? 1 : Version(role);
  if (version == 0) throw HostError(dir_ + ": the repository has no " + role + " metadata yet");
  std::string path = FilePath(role, version);
  return ParseJson(Text(ReadFileBytes(path)), path);
}

void Repository::Store(const std::string& role, const Json& document) const {
  WriteFileAtomic(FilePath(role, document["signed"]["version"].get<int64_t>()),
                  document.dump(2) + "\n");
}

void Repository::WriteRoot(const std::map<std::string, RoleKeys>& roles, UnixTime expires) {
  Json signed_part;
  int64_t version = Version("root");
  if (version > 0) {
    signed_part = Load("root")["signed"];
  } else {
    signed_part = {{"_type", "root"},
                   {"spec_version", kSpecVersion},
                   {"consistent_snapshot", true},
                   {"keys", Json::object()},
                   {"roles", Json::object()}};
    for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
      if (!roles.count(role))
        throw HostError(std::string("a new repository needs keys for the ") + role + " role");
    }
  }
  signed_part["version"] = version + 1;
  signed_part["expires"] = FormatExpires(expires);
  for (const auto& [role, keys] : roles) {
    if (keys.keys.empty() || keys.threshold < 1 ||
        keys.threshold > static_cast<int64_t>(keys.keys.size())) {
      throw HostError(role +
                      ": needs at least one key and a threshold between 1 and the number of keys");
    }
    Json keyids = Json::array();
    for (const PublicKey& key : keys.keys) {
      signed_part["keys"][key.KeyId()] = key.TufJson();
      keyids.push_back(key.KeyId());
    }
    signed_part["roles"][role] = {{"keyids", keyids}, {"threshold", keys.threshold}};
  }
  // Keep only keys some role still uses, so a rotated-out key leaves the root.
  Json used = Json::object();
  for (auto& [role, entry] : signed_part["roles"].items()) {
    for (const Json& keyid : entry["keyids"])
      used[keyid.get<std::string>()] = signed_part["keys"][keyid.get<std::string>()];
  }
  signed_part["keys"] = used;
  Store("root", {{"signed", signed_part}, {"signatures", Json::array()}});
}

void Repository::WriteTargets(const std::vector<TargetInput>& files, UnixTime expires) {
  // Every name first: a refused one leaves nothing written (and nothing outside targets/).
  for (const TargetInput& file : files)
    RequireConfinedTargetPath(file.path);
  Json targets = Json::object();
  for (const TargetInput& file : files) {
    std::string sha256 = Sha256Hex(file.bytes);
    Json entry = {{"length", file.bytes.size()}, {"hashes", {{"sha256", sha256}}}};
    if (!file.custom.is_null()) entry["custom"] = file.custom;
    targets[file.path] = entry;
    fs::path relative(file.path);
    fs::path stored = fs::path(dir_) / "targets" / relative.parent_path() /
                      (sha256 + "." + relative.filename().string());
    fs::create_directories(stored.parent_path());
    WriteFileAtomic(stored.string(), file.bytes);
  }
  Json signed_part = {{"_type", "targets"},
                      {"spec_version", kSpecVersion},
                      {"version", Version("targets") + 1},
                      {"expires", FormatExpires(expires)},
                      {"targets", targets}};
  Store("targets", {{"signed", signed_part}, {"signatures", Json::array()}});
}

Json Repository::SnapshotMeta() const {
  return {{"targets.json", {{"version", Version("targets")}}}};
}

void Repository::WriteSnapshot(UnixTime expires) {
  Json signed_part = {{"_type", "snapshot"},
                      {"spec_version", kSpecVersion},
                      {"version", Version("snapshot") + 1},
                      {"expires", FormatExpires(expires)},
                      {"meta", SnapshotMeta()}};
  Store("snapshot", {{"signed", signed_part}, {"signatures", Json::array()}});
}

void Repository::WriteTimestamp(UnixTime expires) {
  int64_t snapshot_version = Version("snapshot");
  std::vector<uint8_t> snapshot = ReadFileBytes(FilePath("snapshot", snapshot_version));
  Json signed_part = {{"_type", "timestamp"},
                      {"spec_version", kSpecVersion},
                      {"version", Version("timestamp") + 1},
                      {"expires", FormatExpires(expires)},
                      {"meta",
                       {{"snapshot.json",
                         {{"version", snapshot_version},
                          {"length", snapshot.size()},
                          {"hashes", {{"sha256", Sha256Hex(snapshot)}}}}}}}};
  Store("timestamp", {{"signed", signed_part}, {"signatures", Json::array()}});
}

bool Repository::RefreshTimestamp() {
  if (Version("timestamp") == 0) return false;
  Json timestamp = Load("timestamp");
  int64_t snapshot_version = Version("snapshot");
  std::vector<uint8_t> snapshot = ReadFileBytes(FilePath("snapshot", snapshot_version));
  Json meta = {{"version", snapshot_version},
               {"length", snapshot.size()},
               {"hashes", {{"sha256", Sha256Hex(snapshot)}}}};
  if (timestamp["signed"]["meta"]["snapshot.json"] == meta) return false;
  timestamp["signed"]["meta"]["snapshot.json"] = meta;
  timestamp["signatures"] = Json::array();
  Store("timestamp", timestamp);
  return true;
}

void Repository::Sign(const std::string& role, const PrivateKey& key) {
  Json document = Load(role);
  std::string keyid = key.Public().KeyId();
  Json signatures = Json::array();
  for (const Json& s : document["signatures"]) {
    if (s.value("keyid", "") != keyid) signatures.push_back(s);
  }
  signatures.push_back({{"keyid", keyid}, {"sig", key.Sign(CanonicalJson(document["signed"]))}});
  document["signatures"] = signatures;
  Store(role, document);
}

}  // namespace vigil::ota
