// The TUF client workflow over a real HTTP server: request order with consistent snapshots,
// non-versioned trusted files, root rotation chains, delegations (order, terminating, cycles,
// limits), target caching, and the vigil-tuf-client command-line protocol.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/error.h"
#include "ota/package/canonical_json.h"
#include "ota/package/repository.h"
#include "ota/server/update_server.h"
#include "ota/tuf/updater.h"

namespace vigil::ota {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

class TufClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vigil-tuf-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
    repo = std::make_unique<Repository>(dir + "/repo");
    repo->WriteRoot({{"root", {{root_key.Public()}, 1}},
                     {"targets", {{targets_key.Public()}, 1}},
                     {"snapshot", {{online_key.Public()}, 1}},
                     {"timestamp", {{online_key.Public()}, 1}}},
                    DaysFromNow(365));
    repo->Sign("root", root_key);
    Publish({{"a.txt", {'a'}, nullptr}});
    server = std::make_unique<UpdateServer>(dir + "/repo", dir + "/server.sqlite");
    base = "http://127.0.0.1:" + std::to_string(server->Start());
    fs::create_directories(dir + "/client");
    WriteFileAtomic(dir + "/client/root.json", ReadFileBytes(repo->FilePath("root", 1)));
  }
  void TearDown() override {
    server.reset();
    fs::remove_all(dir);
  }

  // Publishes targets (optionally with delegations and delegated roles), snapshot and timestamp.
  void Publish(const std::vector<TargetInput>& files, const Json& delegations = nullptr,
               const std::map<std::string, Json>& delegated = {}) {
    repo->WriteTargets(files, DaysFromNow(30));
    if (!delegations.is_null()) {
      Json targets = repo->Load("targets");
      targets["signed"]["delegations"] = delegations;
      repo->Store("targets", targets);
    }
    repo->Sign("targets", targets_key);
    Json meta = {{"targets.json", {{"version", repo->Version("targets")}}}};
    for (const auto& [role, signed_part] : delegated) {
      repo->Store(role, {{"signed", signed_part},
                         {"signatures",
                          {{{"keyid", delegate_key.Public().KeyId()},
                            {"sig", delegate_key.Sign(CanonicalJson(signed_part))}}}}});
      meta[role + ".json"] = {{"version", signed_part["version"]}};
    }
    Json snapshot = {{"_type", "snapshot"},
                     {"spec_version", "1.0.31"},
                     {"version", repo->Version("snapshot") + 1},
                     {"expires", FormatExpires(DaysFromNow(30))},
                     {"meta", meta}};
    repo->Store("snapshot", {{"signed", snapshot}, {"signatures", Json::array()}});
    repo->Sign("snapshot", online_key);
    repo->WriteTimestamp(DaysFromNow(30));
    repo->Sign("timestamp", online_key);
  }

  Json Delegation(const std::string& name, const Json& paths, bool terminating) {
    return {{"name", name},
            {"keyids", {delegate_key.Public().KeyId()}},
            {"threshold", 1},
            {"terminating", terminating},
            {"paths", paths}};
  }
  Json DelegatedTargets(const Json& targets, const Json& delegations = nullptr) {
    Json s = {{"_type", "targets"},
              {"spec_version", "1.0.31"},
              {"version", 1},
              {"expires", FormatExpires(DaysFromNow(30))},
              {"targets", targets}};
    if (!delegations.is_null()) s["delegations"] = delegations;
    return s;
  }
  Json TargetEntry(const std::string& content) {
    return {{"length", content.size()}, {"hashes", {{"sha256", HashHex("sha256", content)}}}};
  }
  Json Keys() { return {{delegate_key.Public().KeyId(), delegate_key.Public().TufJson()}}; }

  std::unique_ptr<Updater> Client() {
    return std::make_unique<Updater>(dir + "/client", base + "/metadata/", base + "/targets/",
                                     fetcher);
  }
  std::vector<std::string> MetadataRequests() {
    std::vector<std::string> paths;
    for (const ServedRequest& r : server->Requests()) {
      if (r.path.rfind("/metadata/", 0) == 0)
        paths.push_back(r.path.substr(10) +
                        (r.status == 200 ? "" : " " + std::to_string(r.status)));
    }
    return paths;
  }

  std::string dir, base;
  PrivateKey root_key = PrivateKey::Generate(KeyScheme::kEd25519),
             targets_key = PrivateKey::Generate(KeyScheme::kEd25519),
             online_key = PrivateKey::Generate(KeyScheme::kEd25519),
             delegate_key = PrivateKey::Generate(KeyScheme::kEd25519);
  std::unique_ptr<Repository> repo;
  std::unique_ptr<UpdateServer> server;
  CurlFetcher fetcher;
};

TEST_F(TufClientTest, RefreshFetchesInWorkflowOrderAndStoresNonVersionedNames) {
  Client()->Refresh();
  std::vector<std::string> expected = {"2.root.json 404", "timestamp.json", "1.snapshot.json",
                                       "1.targets.json"};
  EXPECT_EQ(MetadataRequests(), expected);
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir + "/client"))
    files.insert(entry.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"root.json", "timestamp.json", "snapshot.json",
                                          "targets.json"}));
  // The stored bytes are exactly those served.
  EXPECT_EQ(ReadFileBytes(dir + "/client/timestamp.json"),
            ReadFileBytes(repo->FilePath("timestamp", 1)));
  // A second refresh with nothing new keeps the local snapshot and targets (no download).
  Client()->Refresh();
  expected.insert(expected.end(), {"2.root.json 404", "timestamp.json"});
  EXPECT_EQ(MetadataRequests(), expected);
}

TEST_F(TufClientTest, WalksARootRotationChain) {
  PrivateKey root2 = PrivateKey::Generate(KeyScheme::kEcdsaP256),
             root3 = PrivateKey::Generate(KeyScheme::kRsaPkcs1v15);
  repo->WriteRoot({{"root", {{root2.Public()}, 1}}}, DaysFromNow(365));
  repo->Sign("root", root_key);
  repo->Sign("root", root2);
  repo->WriteRoot({{"root", {{root3.Public()}, 1}}}, DaysFromNow(365));
  repo->Sign("root", root2);
  repo->Sign("root", root3);
  auto client = Client();
  client->Refresh();
  EXPECT_EQ(client->trusted().root().version, 3);
  EXPECT_EQ(ParseJson(ReadFileText(dir + "/client/root.json"), "root")["signed"]["version"], 3);
}

TEST_F(TufClientTest, RotationNotSignedByTheNewKeysIsRefused) {
  PrivateKey root2 = PrivateKey::Generate(KeyScheme::kEd25519);
  repo->WriteRoot({{"root", {{root2.Public()}, 1}}}, DaysFromNow(365));
  repo->Sign("root", root_key);  // the old key only
  try {
    Client()->Refresh();
    FAIL();
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("root v2 (by its own root keys): signed by 0"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(ParseJson(ReadFileText(dir + "/client/root.json"), "root")["signed"]["version"], 1);
}

TEST_F(TufClientTest, EqualTimestampVersionKeepsTheTrustedOne) {
  Client()->Refresh();
  std::vector<uint8_t> trusted = ReadFileBytes(dir + "/client/timestamp.json");
  Json ts = repo->Load("timestamp");
  ts["signed"]["meta"]["snapshot.json"]["version"] = 100;  // changed content, same version
  ts["signatures"] = Json::array();
  repo->Store("timestamp", ts);
  repo->Sign("timestamp", online_key);
  Client()->Refresh();
  EXPECT_EQ(ReadFileBytes(dir + "/client/timestamp.json"), trusted);
}

TEST_F(TufClientTest, DelegationsAreSearchedDepthFirstInOrder) {
  std::string content = "delegated";
  Json delegations = {
      {"keys", Keys()},
      {"roles",
       {Delegation("first", {"other/*"}, false), Delegation("second", {"*.txt"}, false),
        Delegation("third", {"*.txt"}, false)}}};
  Publish({}, delegations,
          {{"first", DelegatedTargets(Json::object())},
           {"second",
            DelegatedTargets(Json::object(),
                             {{"keys", Keys()}, {"roles", {Delegation("deep", {"*"}, false)}}})},
           {"deep", DelegatedTargets({{"d.txt", TargetEntry(content)}})},
           {"third", DelegatedTargets({{"d.txt", TargetEntry("not this one")}})}});
  WriteFileAtomic(dir + "/repo/targets/" + HashHex("sha256", content) + ".d.txt", content);
  auto client = Client();
  std::optional<TargetFile> info = client->GetTargetInfo("d.txt");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->length,
            static_cast<int64_t>(content.size()));  // from "deep", found before "third"
  std::vector<std::string> requests = MetadataRequests();
  EXPECT_EQ(std::vector<std::string>(requests.end() - 2, requests.end()),
            (std::vector<std::string>{"1.second.json", "1.deep.json"}));
  std::string path = client->DownloadTarget(*info, dir + "/out");
  EXPECT_EQ(ReadFileText(path), content);
  EXPECT_TRUE(fs::exists(dir + "/client/deep.json"));
}

TEST_F(TufClientTest, TerminatingDelegationStopsTheSearch) {
  Json delegations = {
      {"keys", Keys()},
      {"roles", {Delegation("stop", {"*.txt"}, true), Delegation("after", {"*.txt"}, false)}}};
  Publish({}, delegations,
          {{"stop", DelegatedTargets(Json::object())},
           {"after", DelegatedTargets({{"e.txt", TargetEntry("e")}})}});
  EXPECT_FALSE(Client()->GetTargetInfo("e.txt"));
  for (const std::string& r : MetadataRequests())
    EXPECT_EQ(r.find("after"), std::string::npos);
}

TEST_F(TufClientTest, DelegationCycleIsVisitedOnce) {
  Json loop = {{"keys", Keys()}, {"roles", {Delegation("a", {"*"}, false)}}};
  Publish({}, loop,
          {{"a", DelegatedTargets(Json::object(),
                                  {{"keys", Keys()}, {"roles", {Delegation("b", {"*"}, false)}}})},
           {"b", DelegatedTargets(Json::object(), {{"keys", Keys()},
                                                   {"roles", {Delegation("a", {"*"}, false)}}})}});
  EXPECT_FALSE(Client()->GetTargetInfo("x"));
  int fetched_a = 0;
  for (const std::string& r : MetadataRequests())
    fetched_a += r == "1.a.json";
  EXPECT_EQ(fetched_a, 1);
}

TEST_F(TufClientTest, MaxDelegationsBoundsTheSearch) {
  Json roles = Json::array();
  std::map<std::string, Json> delegated;
  for (int i = 0; i < 5; ++i) {
    roles.push_back(Delegation("r" + std::to_string(i), {"*"}, false));
    delegated["r" + std::to_string(i)] =
        DelegatedTargets(i == 4 ? Json{{"z", TargetEntry("z")}} : Json::object());
  }
  Publish({}, {{"keys", Keys()}, {"roles", roles}}, delegated);
  UpdaterConfig config;
  config.max_delegations = 3;  // targets + r0 + r1: r4 is never reached
  Updater limited(dir + "/client", base + "/metadata/", base + "/targets/", fetcher, config);
  EXPECT_FALSE(limited.GetTargetInfo("z"));
  EXPECT_TRUE(Client()->GetTargetInfo("z"));
}

TEST_F(TufClientTest, DelegatedRoleSignedByAnUnlistedKeyIsRefused) {
  Json delegations = {{"keys", Keys()}, {"roles", {Delegation("role", {"*"}, false)}}};
  Json role = DelegatedTargets(Json::object());
  Publish({}, delegations, {{"role", role}});
  PrivateKey other = PrivateKey::Generate(KeyScheme::kEd25519);
  repo->Store(
      "role",
      {{"signed", role},
       {"signatures",
        {{{"keyid", delegate_key.Public().KeyId()}, {"sig", other.Sign(CanonicalJson(role))}}}}});
  try {
    Client()->GetTargetInfo("x");
    FAIL();
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("role: signed by 0 of the 1 keys required"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(TufClientTest, CachedTargetIsNotDownloadedAgain) {
  auto client = Client();
  std::optional<TargetFile> info = client->GetTargetInfo("a.txt");
  ASSERT_TRUE(info);
  EXPECT_FALSE(client->FindCachedTarget(*info, dir + "/out"));
  fs::create_directories(dir + "/out");
  client->DownloadTarget(*info, dir + "/out");
  EXPECT_TRUE(client->FindCachedTarget(*info, dir + "/out"));
  WriteFileAtomic(dir + "/out/a.txt", std::string("b"));  // changed locally: no longer a match
  EXPECT_FALSE(client->FindCachedTarget(*info, dir + "/out"));
  EXPECT_EQ(server->CountRequests(".a.txt"), 1);  // hash-prefixed name (consistent snapshot)
}

int RunClient(const std::string& args) {
  std::string command =
      std::string(VIGIL_BIN_DIR) + "/vigil-tuf-client " + args + " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(TufClientTest, ConformanceCommandLineProtocol) {
  std::string md = dir + "/cli-metadata", td = dir + "/cli-targets";
  fs::create_directories(md);
  fs::create_directories(td);
  EXPECT_EQ(RunClient("--metadata-dir " + md + " init " + repo->FilePath("root", 1)), 0);
  EXPECT_EQ(server->Requests().size(), 0u);  // init makes no request
  std::string urls = "--metadata-url " + base + "/metadata/ --metadata-dir " + md;
  EXPECT_EQ(RunClient(urls + " refresh"), 0);
  EXPECT_TRUE(fs::exists(md + "/targets.json"));
  std::string download = urls + " --target-dir " + td + " --target-base-url " + base + "/targets/";
  EXPECT_EQ(RunClient(download + " --target-name a.txt download"), 0);
  EXPECT_EQ(ReadFileText(td + "/a.txt"), "a");
  EXPECT_EQ(RunClient(download + " --target-name a.txt download"), 0);
  EXPECT_EQ(server->CountRequests(".a.txt"), 1);  // the second download found it cached
  EXPECT_EQ(RunClient(download + " --target-name a.txt --target-name missing.txt download"), 1);
  EXPECT_EQ(RunClient(urls + " bogus"), 1);
  EXPECT_EQ(RunClient("--metadata-dir " + md), 1);  // usage errors are failures too (exit 1)
}

}  // namespace
}  // namespace vigil::ota
