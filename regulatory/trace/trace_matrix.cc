#include "regulatory/trace/trace_matrix.h"

#include <map>
#include <set>

namespace vigil::regulatory {
namespace {

Verdict VerdictOf(const std::vector<TestTrace>& tests) {
  if (tests.empty()) return Verdict::kUntested;
  bool passed = false;
  for (const TestTrace& t : tests) {
    if (t.outcome == TestOutcome::kFailed) return Verdict::kFailing;
    passed = passed || t.outcome == TestOutcome::kPassed;
  }
  return passed ? Verdict::kVerified : Verdict::kNotVerified;
}

void Count(TraceCounts& c, TestOutcome outcome) {
  ++c.tests;
  switch (outcome) {
    case TestOutcome::kPassed: ++c.passed; break;
    case TestOutcome::kFailed: ++c.failed; break;
    case TestOutcome::kSkipped: ++c.skipped; break;
    case TestOutcome::kNotRun: ++c.not_run; break;
  }
}

void Count(TraceCounts& c, const RequirementTrace& r) {
  ++c.requirements;
  if (r.requirement.status == RequirementStatus::kImplemented) ++c.implemented;
  switch (r.verdict) {
    case Verdict::kVerified: ++c.verified; break;
    case Verdict::kFailing: ++c.failing; break;
    case Verdict::kNotVerified: ++c.not_verified; break;
    case Verdict::kUntested: ++c.untested; break;
  }
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kVerified: return "verified";
    case Verdict::kFailing: return "failing";
    case Verdict::kNotVerified: return "not verified";
    case Verdict::kUntested: return "untested";
  }
  return "?";
}

bool HazardTrace::Controlled() const {
  if (controls.empty()) return false;
  for (const ControlTrace& c : controls) {
    if (c.verdict != Verdict::kVerified) return false;
  }
  return true;
}

TraceMatrix BuildTraceMatrix(const RequirementSet& set, const std::vector<TestResult>& results,
                             const TestLabels& labels) {
  TraceMatrix m;
  m.findings = set.Findings();
  // Every test either list knows of: a listed test missing from the results did not run.
  std::map<std::string, TestOutcome> outcomes;
  for (const auto& [name, unused] : labels)
    outcomes[name] = TestOutcome::kNotRun;
  for (const TestResult& r : results)
    outcomes[r.name] = r.outcome;

  std::map<std::string, std::vector<TestTrace>> tests_of;
  for (const auto& [name, outcome] : outcomes) {
    Count(m.counts, outcome);
    auto it = labels.find(name);
    std::set<std::string> ids;
    if (it != labels.end()) {
      for (const std::string& label : it->second) {
        if (IsRequirementId(label)) ids.insert(label);
      }
    }
    if (ids.empty()) m.tests_without_requirements.push_back(name);
    for (const std::string& id : ids)
      tests_of[id].push_back({name, outcome});
  }
  for (const auto& [id, tests] : tests_of) {
    if (set.FindRequirement(id)) continue;
    std::string example =
        tests.front().name +
        (tests.size() > 1 ? " and " + std::to_string(tests.size() - 1) + " more" : "");
    m.findings.push_back({id, "is named by " + std::to_string(tests.size()) + " test(s) (" +
                                  example + ") but no requirements file defines it"});
  }
  for (const Requirement& r : set.requirements) {
    RequirementTrace trace{r, tests_of[r.id], Verdict::kUntested};
    trace.verdict = VerdictOf(trace.tests);
    Count(m.counts, trace);
    m.requirements.push_back(std::move(trace));
  }
  for (const Hazard& h : set.hazards) {
    HazardTrace trace{h, {}};
    for (const std::string& id : set.ControlsOf(h)) {
      trace.controls.push_back(
          {id, set.FindRequirement(id) ? VerdictOf(tests_of[id]) : Verdict::kUntested});
    }
    ++m.counts.hazards;
    if (trace.Controlled()) ++m.counts.hazards_controlled;
    m.hazards.push_back(std::move(trace));
  }
  return m;
}

std::vector<Finding> TraceMatrix::StrictViolations() const {
  std::vector<Finding> violations;
  for (const RequirementTrace& r : requirements) {
    if (r.requirement.status != RequirementStatus::kImplemented || r.verdict == Verdict::kVerified)
      continue;
    std::string why = r.verdict == Verdict::kUntested  ? "no test names it"
                      : r.verdict == Verdict::kFailing ? "a test of it failed"
                                                       : "its tests were skipped or did not run";
    violations.push_back({r.requirement.id, "is marked implemented but is " +
                                                std::string(VerdictName(r.verdict)) + ": " + why});
  }
  return violations;
}

}  // namespace vigil::regulatory
