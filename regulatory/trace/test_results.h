// Test results as ctest records them, and the requirement labels of each test.
//
// ctest's JUnit file (`ctest --output-junit FILE`) has each test's outcome but not its labels, so
// the requirement IDs (ctest LABELS set by vigil_add_gtest / vigil_add_cli_test) come from the test
// list that `ctest --show-only=json-v1` prints for the same build. ReadTestLabels runs that command
// on the build directory; tests can hand the JSON in directly.
//
//   std::vector<TestResult> results = ParseJUnit(ReadFileText("build/test-results.xml"), "...");
//   TestLabels labels = ParseCtestTestList(json_text, "...");
//
// Both parsers read files that another program wrote and are fuzzed (regulatory/trace/*_fuzz.cc).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace vigil::regulatory {

enum class TestOutcome { kPassed, kFailed, kSkipped, kNotRun };
const char* OutcomeName(TestOutcome outcome);  // "passed", "failed", "skipped", "not run"

struct TestResult {
  std::string name;
  TestOutcome outcome = TestOutcome::kNotRun;
  double seconds = 0;
  std::string message;  // ctest's reason for a failure or a skip
};

struct TestSuiteSummary {
  std::string timestamp;  // when ctest ran (ctest writes local time, no zone)
  std::string hostname;
};

// Parses ctest's JUnit XML: <testsuite><testcase name status="run|fail|notrun|disabled">...
std::vector<TestResult> ParseJUnit(const std::string& xml, const std::string& name_for_errors,
                                   TestSuiteSummary* summary = nullptr);

// Test name -> its labels, from `ctest --show-only=json-v1`.
using TestLabels = std::map<std::string, std::vector<std::string>>;
TestLabels ParseCtestTestList(const std::string& json, const std::string& name_for_errors);

// Runs `ctest --show-only=json-v1 --test-dir build_dir` and parses its output.
TestLabels ReadTestLabels(const std::string& build_dir);

}  // namespace vigil::regulatory
