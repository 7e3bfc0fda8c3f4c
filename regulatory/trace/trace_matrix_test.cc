// The trace matrix against a real ctest run: testdata/ctest_project has one test of each outcome,
// and ctest itself writes the JUnit file and label list, so these tests pin the formats vigil
// reads.
#include "regulatory/trace/trace_matrix.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/error.h"
#include "regulatory/trace/trace_report.h"

namespace vigil::regulatory {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("VIGIL_SOURCE_DIR");
  return dir ? dir : ".";
}

std::string Testdata() {
  return SourceDir() + "/regulatory/trace/testdata";
}

// Configures and runs the fixture project once; returns the build directory (removed at exit).
const std::string& FixtureBuild() {
  struct Build {
    std::string dir;
    Build() {
      char pattern[] = "/tmp/vigil_trace_XXXXXX";
      dir = mkdtemp(pattern);
      std::string cmd = "cmake -S " + Testdata() + "/ctest_project -B " + dir +
                        " >/dev/null && ctest --test-dir " + dir +
                        " --output-junit results.xml >/dev/null 2>&1; ctest --test-dir " + dir +
                        " --show-only=json-v1 > " + dir + "/tests.json";
      EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    ~Build() { std::filesystem::remove_all(dir); }
  };
  static const Build build;
  return build.dir;
}

const TestResult* Find(const std::vector<TestResult>& results, const std::string& name) {
  for (const TestResult& r : results) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

TEST(TestResults, ReadsEveryOutcomeFromCtestJUnit) {
  std::vector<TestResult> results =
      ParseJUnit(ReadFileText(FixtureBuild() + "/results.xml"), "results.xml");
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(Find(results, "passes")->outcome, TestOutcome::kPassed);
  EXPECT_EQ(Find(results, "fails")->outcome, TestOutcome::kFailed);
  EXPECT_EQ(Find(results, "skips")->outcome, TestOutcome::kSkipped);
  EXPECT_EQ(Find(results, "never_built")->outcome, TestOutcome::kNotRun);
  EXPECT_EQ(Find(results, "unlabelled")->outcome, TestOutcome::kPassed);
}

TEST(TestResults, ReadsLabelsFromCtestTestList) {
  TestLabels labels = ReadTestLabels(FixtureBuild());
  ASSERT_EQ(labels.size(), 6u);
  EXPECT_EQ(labels["passes"], (std::vector<std::string>{"VIG-DEMO-001", "VIG-DEMO-002"}));
  EXPECT_EQ(labels["skips"], (std::vector<std::string>{"VIG-DEMO-003", "slow"}));
  EXPECT_TRUE(labels["unlabelled"].empty());
  EXPECT_EQ(ParseCtestTestList(ReadFileText(FixtureBuild() + "/tests.json"), "tests.json"), labels);
}

TEST(TestResults, RejectsWhatCtestDidNotWrite) {
  EXPECT_THROW(ParseJUnit("<testsuite><testcase", "x.xml"), HostError);
  EXPECT_THROW(ParseJUnit("<html/>", "x.xml"), HostError);
  EXPECT_THROW(ParseJUnit("<testsuite><testcase name='a' status='exploded'/></testsuite>", "x.xml"),
               HostError);
  EXPECT_THROW(ParseCtestTestList("{\"tests\": 3}", "t.json"), HostError);
  EXPECT_THROW(ParseCtestTestList("not json", "t.json"), HostError);
}

TraceMatrix FixtureMatrix() {
  RequirementSet set = LoadRequirementSet(Testdata() + "/requirements", Testdata() + "/risk");
  return BuildTraceMatrix(set, ParseJUnit(ReadFileText(FixtureBuild() + "/results.xml"), "r"),
                          ReadTestLabels(FixtureBuild()));
}

const RequirementTrace& Row(const TraceMatrix& m, const std::string& id) {
  for (const RequirementTrace& r : m.requirements) {
    if (r.requirement.id == id) return r;
  }
  throw std::runtime_error("no row " + id);
}

TEST(TraceMatrix, GivesEachRequirementTheVerdictOfItsTests) {
  TraceMatrix m = FixtureMatrix();
  EXPECT_EQ(Row(m, "VIG-DEMO-001").verdict, Verdict::kVerified);
  EXPECT_EQ(Row(m, "VIG-DEMO-002").verdict, Verdict::kFailing);  // one pass does not hide a failure
  EXPECT_EQ(Row(m, "VIG-DEMO-002").tests.size(), 2u);
  EXPECT_EQ(Row(m, "VIG-DEMO-003").verdict, Verdict::kNotVerified);  // skipped only
  EXPECT_EQ(Row(m, "VIG-DEMO-004").verdict, Verdict::kUntested);
  EXPECT_EQ(Row(m, "VIG-DEMO-005").verdict, Verdict::kNotVerified);  // its test never built
  EXPECT_EQ(m.tests_without_requirements, (std::vector<std::string>{"unlabelled"}));
  EXPECT_EQ(m.counts.tests, 6);
  EXPECT_EQ(m.counts.failed, 1);
  EXPECT_EQ(m.counts.skipped, 1);
  EXPECT_EQ(m.counts.not_run, 1);
}

TEST(TraceMatrix, StrictFailsOnImplementedRequirementsThatAreNotVerified) {
  std::vector<Finding> violations = FixtureMatrix().StrictViolations();
  std::vector<std::string> ids;
  for (const Finding& v : violations)
    ids.push_back(v.where);
  // 005 is planned, so its unbuilt test is not a violation.
  EXPECT_EQ(ids, (std::vector<std::string>{"VIG-DEMO-002", "VIG-DEMO-003", "VIG-DEMO-004"}));
}

TEST(TraceMatrix, TracesHazardsToControlsAndFlagsBrokenLinks) {
  TraceMatrix m = FixtureMatrix();
  ASSERT_EQ(m.hazards.size(), 2u);
  EXPECT_TRUE(m.hazards[0].Controlled());
  EXPECT_FALSE(m.hazards[1].Controlled());
  ASSERT_EQ(m.hazards[1].controls.size(), 2u);
  EXPECT_EQ(m.hazards[1].controls[1].requirement_id, "VIG-DEMO-404");
  std::string all;
  for (const Finding& f : m.findings)
    all += f.where + " " + f.message + "\n";
  EXPECT_NE(all.find("HAZ-002 is controlled by VIG-DEMO-404, which no requirements file defines"),
            std::string::npos)
      << all;
  EXPECT_NE(
      all.find(
          "VIG-DEMO-999 is named by 1 test(s) (names_unknown_requirement) but no requirements file "
          "defines it"),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("VIG-DEMO-002 is safety class B but controls HAZ-002"), std::string::npos)
      << all;
}

TEST(TraceReport, WritesOneCsvRowPerRequirementAndTest) {
  TraceMatrix m = FixtureMatrix();
  std::string csv = RequirementsCsv(m);
  EXPECT_EQ(csv.rfind("requirement,title,safety_class,status,verdict,test,result\n", 0), 0u);
  EXPECT_NE(
      csv.find(
          "VIG-DEMO-002,One passing and one failing test,B,implemented,failing,fails,failed\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find("VIG-DEMO-004,Implemented but untested,C,implemented,untested,,\n"),
            std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 1 + 2 + 1 + 1 + 1);
  std::string hazards = HazardsCsv(m);
  EXPECT_NE(hazards.find("HAZ-001,critical,remote,8,ALARP,VIG-DEMO-001,verified,yes\n"),
            std::string::npos)
      << hazards;
  char pattern[] = "/tmp/vigil_trace_out_XXXXXX";
  std::string out = mkdtemp(pattern);
  WriteTraceReport(m, out);
  for (const char* f : {"trace.html", "requirements.csv", "hazards.csv", "trace.json"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  }
  nlohmann::json summary = nlohmann::json::parse(ReadFileText(out + "/trace.json"));
  EXPECT_EQ(summary["requirements"]["untested"], 1);
  EXPECT_EQ(summary["strict_violations"].size(), 3u);
  std::filesystem::remove_all(out);
}

TEST(TraceCommand, StrictModeFailsTheRunAndUsageErrorsExitTwo) {
  const char* binary_dir = std::getenv("VIGIL_BINARY_DIR");
  std::string vigil = std::string(binary_dir ? binary_dir : "build") + "/bin/vigil";
  char pattern[] = "/tmp/vigil_trace_cli_XXXXXX";
  std::string out = mkdtemp(pattern);
  std::string trace = vigil + " trace --requirements " + Testdata() + "/requirements --results " +
                      FixtureBuild() + "/results.xml --out " + out + " >/dev/null 2>&1";
  auto exit_code = [](const std::string& cmd) { return WEXITSTATUS(std::system(cmd.c_str())); };
  EXPECT_EQ(exit_code(trace), 0);
  EXPECT_EQ(exit_code(trace + " --strict"), 1);
  EXPECT_TRUE(std::filesystem::exists(out + "/trace.html"));
  EXPECT_EQ(exit_code(vigil + " trace --out " + out + " >/dev/null 2>&1"), 2);  // no --results
  EXPECT_EQ(
      exit_code(vigil + " trace --results /nonexistent.xml --out " + out + " >/dev/null 2>&1"), 1);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace vigil::regulatory
