#include "host/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace
}  // namespace vigil
