// UpdateServer: serves a TUF repository (a Vigil package directory, see ota/package/repository.h)
// over HTTP and keeps its records in SQLite.
//
// Contract
//  - GET /metadata/<file> and GET /targets/<path> serve the repository's files as they are; the
//    server never signs or changes anything (signing keys stay offline). Paths that leave the
//    repository are refused by cpp-httplib's mount point.
//  - Every request is recorded (time, client, path, status, bytes) in the `requests` table, and
//    each repository state the server starts on (targets version, model version, release counter,
//    change-control id) in `publications`, so a release can be traced to the devices that fetched
//    it.
//  - Start binds and serves on a background thread and returns the port (0 picks a free one);
//    the destructor stops it. Serve blocks (the `vigil update-server` command).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace vigil::ota {

struct ServedRequest {
  std::string time, client, path;
  int status = 0;
  int64_t bytes = 0;
};

class UpdateServer {
 public:
  UpdateServer(std::string repository_dir, std::string database_path);
  ~UpdateServer();

  int Start(const std::string& host = "127.0.0.1", int port = 0);
  void Serve(const std::string& host, int port);
  void Stop();

  std::vector<ServedRequest> Requests();
  // How many requests asked for a path ending in `suffix` (tests: "was this target fetched
  // again?").
  int64_t CountRequests(const std::string& suffix);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace vigil::ota
