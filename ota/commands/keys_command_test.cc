// `vigil keys generate` as a user runs it: the private key is 0600, and an existing key is replaced
// only with --force (a root key overwritten by accident locks every device out of its updates).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "host/atomic_file.h"
#include "testing/cli_runner.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing::RunVigil;

class KeysCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vigil_keys_command_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static unsigned Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  fs::path dir_;
};

TEST_F(KeysCommandTest, AnExistingKeyIsReplacedOnlyWithForce) {
  ASSERT_EQ(RunVigil({"keys", "generate", "-o", Path("root.pem")}).exit_code, 0);
  const std::string key = ReadFileText(Path("root.pem")),
                    public_key = ReadFileText(Path("root.pub.pem"));
  EXPECT_EQ(Mode(Path("root.pem")), 0600u);

  testing::CommandResult again = RunVigil({"keys", "generate", "-o", Path("root.pem")});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find(Path("root.pem") + " already exists; --force replaces it"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(ReadFileText(Path("root.pem")), key);
  EXPECT_EQ(ReadFileText(Path("root.pub.pem")), public_key);

  // Only the public half left: still refused, and the private key is not written alone.
  fs::remove(Path("root.pem"));
  EXPECT_EQ(RunVigil({"keys", "generate", "-o", Path("root.pem")}).exit_code, 1);
  EXPECT_FALSE(fs::exists(Path("root.pem")));

  ASSERT_EQ(RunVigil({"keys", "generate", "-o", Path("root.pem"), "--force"}).exit_code, 0);
  EXPECT_NE(ReadFileText(Path("root.pub.pem")), public_key);
}

TEST_F(KeysCommandTest, AReplacedKeyIsPrivateEvenIfTheOldFileWasNot) {
  WriteFileAtomic(Path("k.pem"), std::string("an old world-readable file"));
  ASSERT_EQ(::chmod(Path("k.pem").c_str(), 0644), 0);
  ASSERT_EQ(RunVigil({"keys", "generate", "-o", Path("k.pem"), "--force"}).exit_code, 0);
  EXPECT_EQ(Mode(Path("k.pem")), 0600u);
  EXPECT_NE(ReadFileText(Path("k.pem")).find("BEGIN PRIVATE KEY"), std::string::npos);
}

}  // namespace
}  // namespace vigil
