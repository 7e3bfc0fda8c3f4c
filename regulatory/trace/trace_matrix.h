// The traceability matrix: requirement -> tests -> result, and hazard -> risk control -> tests.
//
//   TraceMatrix m = BuildTraceMatrix(LoadRequirementSet(...), ParseJUnit(...),
//   ReadTestLabels(...)); for (const Finding& f : m.StrictViolations()) ...   // what `vigil trace
//   --strict` fails on
//
// A test verifies the requirements whose IDs are among its ctest labels. A requirement is
// "verified" when at least one of its tests passed and none failed; "failing" when one failed;
// "not verified" when its tests were all skipped or not run; "untested" when no test names it.
// Strict mode fails on every requirement marked implemented that is not verified.
#pragma once

#include <string>
#include <vector>

#include "regulatory/requirements/requirement_set.h"
#include "regulatory/trace/test_results.h"

namespace vigil::regulatory {

enum class Verdict { kVerified, kFailing, kNotVerified, kUntested };
const char* VerdictName(Verdict verdict);  // "verified", "failing", "not verified", "untested"

struct TestTrace {
  std::string name;
  TestOutcome outcome =
      TestOutcome::kNotRun;  // kNotRun also when ctest lists it but the results lack it
};

struct RequirementTrace {
  Requirement requirement;
  std::vector<TestTrace> tests;
  Verdict verdict = Verdict::kUntested;
};

struct ControlTrace {
  std::string requirement_id;
  Verdict verdict = Verdict::kUntested;  // kUntested also when no file defines the requirement
};

struct HazardTrace {
  Hazard hazard;
  std::vector<ControlTrace> controls;
  // At least one control, and every control verified.
  bool Controlled() const;
};

struct TraceCounts {
  int tests = 0, passed = 0, failed = 0, skipped = 0, not_run = 0;
  int requirements = 0, implemented = 0, verified = 0, failing = 0, not_verified = 0, untested = 0;
  int hazards = 0, hazards_controlled = 0;
};

struct TraceMatrix {
  std::vector<RequirementTrace> requirements;  // in the order of the files
  std::vector<HazardTrace> hazards;
  std::vector<std::string> tests_without_requirements;
  std::vector<Finding> findings;  // from the requirement set, plus tests naming unknown IDs
  TraceCounts counts;

  std::vector<Finding> StrictViolations() const;
};

TraceMatrix BuildTraceMatrix(const RequirementSet& set, const std::vector<TestResult>& results,
                             const TestLabels& labels);

}  // namespace vigil::regulatory
