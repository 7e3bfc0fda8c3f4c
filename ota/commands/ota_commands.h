// Entry points of the update commands (`vigil keys`, `vigil package`, `vigil device`,
// `vigil update-server`); apps/vigil/commands.h includes this header for the CLI table.
#pragma once

#include <string>
#include <vector>

#include "ota/package/repository.h"

namespace vigil::ota {

int RunKeysCommand(int argc, char** argv);
int RunPackageCommand(int argc, char** argv);
int RunDeviceCommand(int argc, char** argv);
int RunUpdateServerCommand(int argc, char** argv);

// Reads key files given on the command line: public keys (for root) and, where the file holds a
// private key, a signer. `scheme` picks RSA's padding ("rsassa-pss-sha256" by default).
struct KeyFiles {
  RoleKeys keys;
  std::vector<PrivateKey> signers;
};
KeyFiles ReadKeyFiles(const std::vector<std::string>& paths, int threshold,
                      const std::string& rsa_scheme);

// A role's newest file: {"version", "expires", "valid_signatures", "threshold"}, counting the
// signatures that verify with the keys `root` lists for the role.
nlohmann::json SignatureState(Repository& repo, const std::string& role, const RootMetadata& root);

}  // namespace vigil::ota
