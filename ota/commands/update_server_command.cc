// `vigil update-server`: serve a package repository over HTTP, with records in SQLite.
#include <cstdio>

#include "host/command_line.h"
#include "ota/commands/ota_commands.h"
#include "ota/server/update_server.h"

namespace vigil::ota {

int RunUpdateServerCommand(int argc, char** argv) {
  CommandLine cli("vigil update-server",
                  "Serve a model update repository (a package directory) over HTTP: "
                  "/metadata/... and /targets/...; requests are recorded in SQLite.");
  std::string repository, host = "127.0.0.1", database;
  int port = 8080;
  cli.Positional("REPO_DIR", &repository, "the package directory to serve");
  cli.Option("", "--host", &host, "ADDR", "address to listen on (default 127.0.0.1)");
  cli.Option("-p", "--port", &port, "N", "port (default 8080)", IntegerRange{1, 65535});
  cli.Option("", "--db", &database, "FILE",
             "SQLite database of requests and publications (default REPO_DIR/server.sqlite)");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (database.empty()) database = repository + "/server.sqlite";
  UpdateServer server(repository, database);
  std::printf("serving %s on http://%s:%d/ (records in %s)\n", repository.c_str(), host.c_str(),
              port, database.c_str());
  std::fflush(stdout);
  server.Serve(host, port);
  return 0;
}

}  // namespace vigil::ota
