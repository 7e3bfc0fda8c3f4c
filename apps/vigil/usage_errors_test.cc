// What `vigil` says about bad numbers and bad paths, end to end (build/bin/vigil in a child
// process): a number out of its option's range is a usage error naming the option, the value and
// the range, never a wrapped or infinite value (issue 13, item 9); a directory given for a file
// is refused by name, not reported as an internal error (item 14).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "testing/cli_runner.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::RunVigil;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(UsageErrors, MonitorSecondsMustBeFiniteAndPositive) {
  // "inf" once analysed 0 samples and printed a summary as if all was well.
  for (const char* bad : {"inf", "nan", "0"}) {
    CommandResult r = RunVigil({"ecg", "monitor", "--synthetic", "--seconds", bad, "--json"});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.out << r.err;
    EXPECT_TRUE(Contains(
        r.err,
        std::string("--seconds expects a number over 0 and at most 86400, got '") + bad + "'"))
        << r.err;
  }
  CommandResult r = RunVigil({"ecg", "monitor", "--synthetic", "--seconds", "10", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(r.out)["signal_seconds"].get<double>(), 10.0);
}

TEST(UsageErrors, BenchIterationsDoNotWrap) {
  const char* source = std::getenv("VIGIL_SOURCE_DIR");
  const std::string model =
      std::string(source ? source : ".") + "/models/ecg/ecg_classifier_fp32.vgl";
  if (!fs::exists(model)) GTEST_SKIP() << model << " not found";
  // 2^32 + 1 once ran a single iteration.
  CommandResult r = RunVigil({"bench", model, "--iterations", "4294967297", "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(
      Contains(r.err, "--iterations expects an integer from 1 to 10000000, got '4294967297'"))
      << r.err;
}

TEST(UsageErrors, ADirectoryGivenForAFileIsRefusedByName) {
  const std::string dir = fs::temp_directory_path().string();
  CommandResult r = RunVigil({"inspect", dir});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, dir + ": it is a directory")) << r.err;
  EXPECT_FALSE(Contains(r.err, "internal error")) << r.err;
}

}  // namespace
}  // namespace vigil
