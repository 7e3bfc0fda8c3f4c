// `vigil keys generate`: a signing key pair for update metadata.
#include <cstdio>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"
#include "ota/commands/ota_commands.h"
#include "ota/package/signing_key.h"

namespace vigil::ota {
namespace {

int Generate(int argc, char** argv) {
  CommandLine cli(
      "vigil keys generate",
      "Generate a signing key: KEY.pem (private, PKCS#8, mode 0600) and KEY.pub.pem (public).");
  std::string output, scheme = "ed25519";
  bool force = false;
  cli.Option("-o", "--output", &output, "KEY.pem", "where to write the private key");
  cli.Flag("", "--force", &force, "replace KEY.pem and KEY.pub.pem if they exist");
  cli.Option("", "--scheme", &scheme, "NAME",
             "ed25519 (default), ecdsa-sha2-nistp256, rsassa-pss-sha256 or rsa-pkcs1v15-sha256");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (output.empty()) {
    std::fprintf(stderr, "vigil keys generate: -o KEY.pem is required\n");
    return 2;
  }
  KeyScheme parsed = ParseScheme(scheme);
  if (parsed == KeyScheme::kUnknown) throw HostError("unknown scheme '" + scheme + "'");
  std::string public_path = output.size() > 4 && output.ends_with(".pem")
                                ? output.substr(0, output.size() - 4) + ".pub.pem"
                                : output + ".pub.pem";
  for (const std::string& path : {output, public_path}) {
    if (!force &&
        std::filesystem::symlink_status(path).type() != std::filesystem::file_type::not_found)
      throw HostError(path + " already exists; --force replaces it");
  }
  PrivateKey key = PrivateKey::Generate(parsed);
  // Both files or neither; the private key is 0600 from its first byte. Replacing a root key by
  // accident would lock every device out of its updates, hence --force.
  StagedFiles files;
  files.Stage(output, key.PemPkcs8(), {.mode = 0600, .replace = force});
  files.Stage(public_path, key.Public().Pem(), {.replace = force});
  files.Commit();
  std::printf("%s key %s\n  private: %s\n  public:  %s\n", SchemeName(parsed),
              key.Public().KeyId().c_str(), output.c_str(), public_path.c_str());
  return 0;
}

}  // namespace

KeyFiles ReadKeyFiles(const std::vector<std::string>& paths, int threshold,
                      const std::string& rsa_scheme) {
  KeyFiles files;
  KeyScheme rsa = ParseScheme(rsa_scheme);
  if (rsa != KeyScheme::kRsaPss && rsa != KeyScheme::kRsaPkcs1v15)
    throw HostError("--rsa-scheme must be an RSA scheme");
  for (const std::string& path : paths) {
    std::string pem = ReadFileText(path);
    if (PemIsPrivateKey(pem)) {
      files.signers.push_back(PrivateKey::FromPem(pem, path, rsa));
      files.keys.keys.push_back(files.signers.back().Public());
    } else {
      files.keys.keys.push_back(PublicKey::FromPem(pem, rsa));
    }
  }
  files.keys.threshold = threshold;
  return files;
}

int RunKeysCommand(int argc, char** argv) {
  return DispatchSubcommand("vigil keys",
                            {{"generate", "generate a signing key pair (PEM, PKCS#8)", Generate}},
                            argc, argv);
}

}  // namespace vigil::ota
