#include "host/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "host/digest.h"
#include "host/error.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

TEST(AtomicFile, ReplacesContentAndLeavesNoTemporaryFiles) {
  fs::path dir = fs::temp_directory_path() / "vigil_atomic_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string path = (dir / "out.txt").string();
  WriteFileAtomic(path, std::string("first"));
  WriteFileAtomic(path, std::string("second, longer"));
  EXPECT_EQ(ReadFileText(path), "second, longer");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(AtomicFile, FailureNamesThePathAndWritesNothing) {
  std::string path = "/nonexistent-dir-for-vigil/out.txt";
  try {
    WriteFileAtomic(path, std::string("x"));
    FAIL();
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-for-vigil/"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_THROW(ReadFileBytes(path), HostError);
}

// A scratch folder per test, removed afterwards.
class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_atomic_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  size_t FileCount() const {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  static unsigned Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }
  // The message of the HostError `write` throws ("" when it throws none).
  template <typename F>
  static std::string ErrorOf(F write) {
    try {
      write();
    } catch (const HostError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

// Writing through `-o` must never turn a link, device, FIFO, socket or folder into a regular file.
TEST_F(AtomicFileTest, RefusesToReplaceWhatIsNotARegularFile) {
  WriteFileAtomic(Path("real.txt"), std::string("kept"));
  fs::create_symlink(Path("real.txt"), Path("link.txt"));
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0644), 0);
  fs::create_directory(Path("folder"));
  int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string socket_path = Path("sock");
  ASSERT_LT(socket_path.size(), sizeof(address.sun_path));
  std::strcpy(address.sun_path, socket_path.c_str());
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);

  const std::pair<const char*, const char*> targets[] = {{"link.txt", "a symbolic link"},
                                                         {"fifo", "a FIFO"},
                                                         {"folder", "a directory"},
                                                         {"sock", "a socket"}};
  for (const auto& [name, what] : targets) {
    std::string message = ErrorOf([&] { WriteFileAtomic(Path(name), std::string("new")); });
    EXPECT_NE(message.find("cannot write " + Path(name) + ": it is " + what), std::string::npos)
        << message;
  }
  ::close(sock);
  EXPECT_TRUE(fs::is_symlink(Path("link.txt")));
  EXPECT_TRUE(fs::is_fifo(Path("fifo")));
  EXPECT_TRUE(fs::is_directory(Path("folder")));
  EXPECT_TRUE(fs::is_socket(Path("sock")));
  EXPECT_EQ(ReadFileText(Path("real.txt")), "kept");
  EXPECT_EQ(FileCount(), 5u);  // no temporary file left behind
}

TEST_F(AtomicFileTest, ReplacedFileKeepsItsModeNeverWider) {
  for (unsigned mode : {0600u, 0640u, 0444u}) {
    std::string path = Path("m" + std::to_string(mode));
    WriteFileAtomic(path, std::string("old"));
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    WriteFileAtomic(path, std::string("new"));
    EXPECT_EQ(Mode(path), mode) << path;
    EXPECT_EQ(ReadFileText(path), "new");
  }
}

TEST_F(AtomicFileTest, PrivateFilesAre0600EvenWhenTheyReplaceAWiderOne) {
  WriteFileAtomic(Path("new.pem"), std::string("secret"), {.mode = 0600});
  EXPECT_EQ(Mode(Path("new.pem")), 0600u);
  WriteFileAtomic(Path("wide.pem"), std::string("old"));
  ASSERT_EQ(::chmod(Path("wide.pem").c_str(), 0644), 0);
  WriteFileAtomic(Path("wide.pem"), std::string("secret"), {.mode = 0600});
  EXPECT_EQ(Mode(Path("wide.pem")), 0600u);
}

TEST_F(AtomicFileTest, RefusesToReplaceAnExistingFileWhenAskedNotTo) {
  WriteFileAtomic(Path("key.pem"), std::string("old key"));
  std::string message = ErrorOf(
      [&] { WriteFileAtomic(Path("key.pem"), std::string("new key"), {.replace = false}); });
  EXPECT_NE(message.find(Path("key.pem") + ": it already exists"), std::string::npos) << message;
  EXPECT_EQ(ReadFileText(Path("key.pem")), "old key");
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(AtomicFileTest, ErrorsNameTheUsersPathNotTheTemporaryFile) {
  std::string path = Path("missing/out.txt");
  std::string message = ErrorOf([&] { WriteFileAtomic(path, std::string("x")); });
  EXPECT_NE(message.find("cannot write " + path + ":"), std::string::npos) << message;
  EXPECT_EQ(message.find(".tmp"), std::string::npos) << message;
}

TEST_F(AtomicFileTest, StagedFilesAreAllOrNothing) {
  WriteFileAtomic(Path("b.txt"), std::string("old b"));
  {
    StagedFiles files;
    files.Stage(Path("a.txt"), std::string("new a"));
    files.Stage(Path("b.txt"), std::string("new b"));
    EXPECT_THROW(files.Stage(Path("missing/c.txt"), std::string("new c")), HostError);
  }  // not committed: temporaries removed, no target touched
  EXPECT_FALSE(fs::exists(Path("a.txt")));
  EXPECT_EQ(ReadFileText(Path("b.txt")), "old b");
  EXPECT_EQ(FileCount(), 1u);

  StagedFiles files;
  files.Stage(Path("a.txt"), std::string("new a"));
  files.Stage(Path("b.txt"), std::string("new b"));
  EXPECT_THROW(files.Stage(Path("./a.txt"), std::string("again")),
               HostError);  // one target, two contents
  files.Commit();
  EXPECT_EQ(ReadFileText(Path("a.txt")), "new a");
  EXPECT_EQ(ReadFileText(Path("b.txt")), "new b");
  EXPECT_EQ(FileCount(), 2u);
}

// /dev/zero, a FIFO or a folder given as an input is refused before anything is read (before, a
// FIFO blocked and /dev/zero was read until std::bad_alloc; a folder read as empty).
TEST_F(AtomicFileTest, ReadsRefuseWhatIsNotARegularFile) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0644), 0);
  fs::create_directory(Path("folder"));
  const std::pair<std::string, const char*> inputs[] = {{"/dev/zero", "a character device"},
                                                        {Path("fifo"), "a FIFO"},
                                                        {Path("folder"), "a directory"}};
  for (const auto& [path, what] : inputs) {
    std::string message = ErrorOf([&] { ReadFileBytes(path); });
    EXPECT_NE(message.find("cannot read " + path + ": it is " + what + ", not a regular file"),
              std::string::npos)
        << message;
  }
}

// Readers that stream go through the same door: a digest of /dev/zero would never end.
TEST_F(AtomicFileTest, StreamedDigestsReadOnlyRegularFiles) {
  WriteFileAtomic(Path("abc"), std::string("abc"));
  EXPECT_EQ(Sha256HexOfFile(Path("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  EXPECT_THROW(Sha256HexOfFile("/dev/zero"), HostError);
  EXPECT_THROW(Sha256HexOfFile(dir_.string()), HostError);
}

// The size is checked before reading: a sparse 2 GiB file costs no memory to refuse.
TEST_F(AtomicFileTest, ReadsRefuseFilesLargerThanTheirKindAllows) {
  std::string path = Path("huge.npy");
  WriteFileAtomic(path, std::string("\x93NUMPY"));
  fs::resize_file(path, 2ull << 30);
  std::string message = ErrorOf([&] { ReadFileBytes(path, kTensorFile); });
  EXPECT_NE(message.find("cannot read " + path +
                         ": 2147483648 bytes or more; a tensor file (.npy) may have at most "
                         "1073741824"),
            std::string::npos)
      << message;
  WriteFileAtomic(path, std::string(100, 'x'));
  EXPECT_EQ(ReadFileBytes(path, {"a small file", 100}).size(), 100u);
  EXPECT_THROW(ReadFileBytes(path, {"a small file", 99}), HostError);
}

}  // namespace
}  // namespace vigil
