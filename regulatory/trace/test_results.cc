#include "regulatory/trace/test_results.h"

#include <tinyxml2.h>

#include <nlohmann/json.hpp>

#include "host/error.h"
#include "regulatory/shell/shell_command.h"

namespace vigil::regulatory {
namespace {

std::string Attribute(const tinyxml2::XMLElement* e, const char* name) {
  const char* value = e->Attribute(name);
  return value ? value : "";
}

}  // namespace

const char* OutcomeName(TestOutcome outcome) {
  switch (outcome) {
    case TestOutcome::kPassed: return "passed";
    case TestOutcome::kFailed: return "failed";
    case TestOutcome::kSkipped: return "skipped";
    case TestOutcome::kNotRun: return "not run";
  }
  return "?";
}

std::vector<TestResult> ParseJUnit(const std::string& xml, const std::string& name_for_errors,
                                   TestSuiteSummary* summary) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    throw HostError(name_for_errors + ": not valid XML: " + doc.ErrorStr());
  }
  const tinyxml2::XMLElement* suite = doc.FirstChildElement("testsuite");
  if (!suite)
    throw HostError(name_for_errors + ": no <testsuite> element (is this ctest JUnit XML?)");
  if (summary) *summary = {Attribute(suite, "timestamp"), Attribute(suite, "hostname")};
  std::vector<TestResult> results;
  for (const tinyxml2::XMLElement* tc = suite->FirstChildElement("testcase"); tc;
       tc = tc->NextSiblingElement("testcase")) {
    TestResult r;
    r.name = Attribute(tc, "name");
    if (r.name.empty()) throw HostError(name_for_errors + ": a <testcase> has no name");
    r.seconds = tc->DoubleAttribute("time", 0.0);
    std::string status = Attribute(tc, "status");
    const tinyxml2::XMLElement* failure = tc->FirstChildElement("failure");
    const tinyxml2::XMLElement* skipped = tc->FirstChildElement("skipped");
    if (failure || status == "fail") {
      r.outcome = TestOutcome::kFailed;
      if (failure) r.message = Attribute(failure, "message");
    } else if (skipped || status == "notrun" || status == "disabled") {
      // A test that ran and chose to skip (GTEST_SKIP matched SKIP_REGULAR_EXPRESSION, or a
      // SKIP_RETURN_CODE) says SKIP_...; one ctest never started says why ("Unable to find
      // executable") or is "disabled".
      r.message = skipped ? Attribute(skipped, "message") : status;
      r.outcome = r.message.rfind("SKIP_", 0) == 0 ? TestOutcome::kSkipped : TestOutcome::kNotRun;
    } else if (status == "run") {
      r.outcome = TestOutcome::kPassed;
    } else {
      throw HostError(name_for_errors + ": test '" + r.name + "' has unknown status '" + status +
                      "'");
    }
    results.push_back(std::move(r));
  }
  return results;
}

TestLabels ParseCtestTestList(const std::string& json, const std::string& name_for_errors) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("tests") ||
      !doc["tests"].is_array()) {
    throw HostError(name_for_errors + ": not a ctest --show-only=json-v1 test list");
  }
  TestLabels labels;
  for (const nlohmann::json& test : doc["tests"]) {
    if (!test.is_object() || !test.contains("name") || !test["name"].is_string()) {
      throw HostError(name_for_errors + ": a test without a name");
    }
    std::vector<std::string>& out = labels[test["name"].get<std::string>()];
    if (!test.contains("properties") || !test["properties"].is_array()) continue;
    for (const nlohmann::json& p : test["properties"]) {
      if (!p.is_object() || !p.contains("name") || p["name"] != "LABELS" || !p.contains("value"))
        continue;
      const nlohmann::json& value = p["value"];
      if (value.is_string()) out.push_back(value.get<std::string>());
      if (!value.is_array()) continue;
      for (const nlohmann::json& label : value) {
        if (label.is_string() && !label.get<std::string>().empty())
          out.push_back(label.get<std::string>());
      }
    }
  }
  return labels;
}

TestLabels ReadTestLabels(const std::string& build_dir) {
  std::string command = "ctest --show-only=json-v1 --test-dir " + ShellQuote(build_dir);
  ShellResult result = RunShellCommand(command);
  if (result.exit_status != 0) {
    throw HostError("'" + command + "' failed (is " + build_dir + " a ctest build directory?)");
  }
  return ParseCtestTestList(result.output, "ctest --show-only=json-v1 in " + build_dir);
}

}  // namespace vigil::regulatory
