#include "ota/server/update_server.h"

#include <httplib.h>
#include <sqlite3.h>

#include <filesystem>
#include <mutex>

#include "host/error.h"
#include "ota/device/audit_log.h"
#include "ota/package/repository.h"
#include "ota/package/update_manifest.h"

namespace vigil::ota {
namespace {

class Database {
 public:
  explicit Database(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw HostError("cannot open update server database " + path + ": " + message);
    }
    Exec(
        "PRAGMA journal_mode=WAL;"
        "CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY, time TEXT NOT NULL, client "
        "TEXT NOT NULL,"
        " path TEXT NOT NULL, status INTEGER NOT NULL, bytes INTEGER NOT NULL);"
        "CREATE TABLE IF NOT EXISTS publications (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
        " targets_version INTEGER NOT NULL, model_version TEXT, release_counter INTEGER, "
        "change_control_id TEXT,"
        " UNIQUE(targets_version));");
  }
  ~Database() { sqlite3_close(db_); }

  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw HostError("update server database: " + message);
    }
  }

  // Runs one statement with text/integer parameters; calls `row` for each result row.
  template <typename Row>
  void Run(const char* sql, const std::vector<std::string>& text,
           const std::vector<int64_t>& numbers, Row row) {
    std::lock_guard<std::mutex> lock(mutex_);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      throw HostError(std::string("update server database: ") + sqlite3_errmsg(db_));
    }
    int index = 1;
    for (const std::string& t : text)
      sqlite3_bind_text(stmt, index++, t.c_str(), -1, SQLITE_TRANSIENT);
    for (int64_t n : numbers)
      sqlite3_bind_int64(stmt, index++, n);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
      row(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
      throw HostError(std::string("update server database: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
};

std::string Column(sqlite3_stmt* stmt, int i) {
  const unsigned char* text = sqlite3_column_text(stmt, i);
  return text ? reinterpret_cast<const char*>(text) : "";
}

}  // namespace

struct UpdateServer::Impl {
  std::string repository;
  Database db;
  httplib::Server http;
  Impl(std::string dir, const std::string& database) : repository(std::move(dir)), db(database) {}
};

UpdateServer::UpdateServer(std::string repository_dir, std::string database_path) {
  if (!std::filesystem::is_directory(repository_dir + "/metadata")) {
    throw HostError(repository_dir + ": not a repository (no metadata/ folder)");
  }
  impl_ = std::make_unique<Impl>(repository_dir, database_path);
  Impl* impl = impl_.get();
  impl->http.set_mount_point("/metadata", repository_dir + "/metadata");
  impl->http.set_mount_point("/targets", repository_dir + "/targets");
  // Recorded before the response goes out, so a client that got its bytes is already on record.
  impl->http.set_post_routing_handler([impl](const httplib::Request& request,
                                             httplib::Response& response) {
    impl->db.Run("INSERT INTO requests (time, client, path, status, bytes) VALUES (?, ?, ?, ?, ?)",
                 {UtcNow(), request.remote_addr, request.path},
                 {response.status, static_cast<int64_t>(response.body.size())},
                 [](sqlite3_stmt*) {});
  });
  // Record what this repository publishes now, once per targets version.
  Repository repo(repository_dir);
  if (repo.Version("targets") > 0) {
    nlohmann::json model =
        repo.Load("targets")["signed"]["targets"].value("model.vgl", nlohmann::json::object());
    nlohmann::json vigil = model.contains("custom")
                               ? model["custom"].value("vigil", nlohmann::json::object())
                               : nlohmann::json::object();
    impl->db.Run(
        "INSERT OR IGNORE INTO publications (time, model_version, change_control_id, "
        "targets_version,"
        " release_counter) VALUES (?, ?, ?, ?, ?)",
        {UtcNow(), vigil.value("model_version", ""), vigil.value("change_control_id", "")},
        {repo.Version("targets"), vigil.value("release_counter", int64_t{0})},
        [](sqlite3_stmt*) {});
  }
}

UpdateServer::~UpdateServer() {
  Stop();
}

int UpdateServer::Start(const std::string& host, int port) {
  int bound = port == 0 ? impl_->http.bind_to_any_port(host)
                        : (impl_->http.bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    throw HostError("update server: cannot listen on " + host + ":" + std::to_string(port));
  thread_ = std::thread([this] { impl_->http.listen_after_bind(); });
  return bound;
}

void UpdateServer::Serve(const std::string& host, int port) {
  if (!impl_->http.listen(host, port))
    throw HostError("update server: cannot listen on " + host + ":" + std::to_string(port));
}

void UpdateServer::Stop() {
  impl_->http.stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<ServedRequest> UpdateServer::Requests() {
  std::vector<ServedRequest> out;
  impl_->db.Run("SELECT time, client, path, status, bytes FROM requests ORDER BY id", {}, {},
                [&](sqlite3_stmt* s) {
                  out.push_back({Column(s, 0), Column(s, 1), Column(s, 2), sqlite3_column_int(s, 3),
                                 sqlite3_column_int64(s, 4)});
                });
  return out;
}

int64_t UpdateServer::CountRequests(const std::string& suffix) {
  int64_t n = 0;
  for (const ServedRequest& r : Requests()) {
    n += r.path.size() >= suffix.size() &&
         r.path.compare(r.path.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return n;
}

}  // namespace vigil::ota
