#include "regulatory/requirements/requirement_set.h"

#include <gtest/gtest.h>

#include "host/error.h"

namespace vigil::regulatory {
namespace {

const char* kGood = R"(area: Runtime
requirements:
  - id: VIG-RT-001
    title: Model file verification
    text: >
      The runtime shall verify every model file.
    safety_class: C
    status: implemented
    hazards: [HAZ-001]
  - id: VIG-RT-002
    title: No heap after init
    text: The runtime shall not allocate after Init.
    safety_class: B
    status: planned
)";

const char* kHazards = R"(hazards:
  - id: HAZ-001
    hazard: Wrong classification shown
    cause: Corrupted model file
    harm: Missed VT
    severity: critical
    probability: remote
    controls: [VIG-RT-002]
  - id: HAZ-ECG-001
    hazard: Alarm not raised
    cause: Noise
    harm: Delayed treatment
    severity: serious
    probability: occasional
)";

std::string ErrorOf(const std::string& yaml) {
  RequirementSet set;
  try {
    AddRequirementsYaml(set, yaml, "bad.yaml");
  } catch (const HostError& e) {
    return e.what();
  }
  return "";
}

TEST(RequirementSet, ReadsRequirementsAndHazards) {
  RequirementSet set;
  AddRequirementsYaml(set, kGood, "runtime.yaml");
  AddHazardsYaml(set, kHazards, "hazards.yaml");
  ASSERT_EQ(set.requirements.size(), 2u);
  const Requirement& r = set.requirements[0];
  EXPECT_EQ(r.id, "VIG-RT-001");
  EXPECT_EQ(r.text, "The runtime shall verify every model file.\n");
  EXPECT_EQ(r.safety_class, SafetyClass::kC);
  EXPECT_EQ(r.status, RequirementStatus::kImplemented);
  EXPECT_EQ(r.hazards, (std::vector<std::string>{"HAZ-001"}));
  EXPECT_EQ(r.area, "Runtime");
  EXPECT_EQ(set.requirements[1].status, RequirementStatus::kPlanned);
  ASSERT_EQ(set.hazards.size(), 2u);
  EXPECT_EQ(set.hazards[0].RiskIndex(), 4 * 2);
  EXPECT_EQ(set.hazards[0].RiskLevel(), "ALARP");
  EXPECT_EQ(set.hazards[1].RiskIndex(), 3 * 3);
}

TEST(RequirementSet, ControlsComeFromBothSidesOfTheLink) {
  RequirementSet set;
  AddRequirementsYaml(set, kGood, "runtime.yaml");
  AddHazardsYaml(set, kHazards, "hazards.yaml");
  // HAZ-001 lists VIG-RT-002; VIG-RT-001 names HAZ-001 itself.
  EXPECT_EQ(set.ControlsOf(set.hazards[0]), (std::vector<std::string>{"VIG-RT-001", "VIG-RT-002"}));
  std::vector<Finding> findings = set.Findings();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].where, "VIG-RT-002");  // class B controlling a critical hazard
  EXPECT_EQ(findings[0].message,
            "is safety class B but controls HAZ-001 (critical): IEC 62304 4.3 calls for class C");
  EXPECT_EQ(findings[1].where, "HAZ-ECG-001");
  EXPECT_EQ(findings[1].message, "has no risk control requirement");
}

TEST(RequirementSet, RejectsMalformedEntriesNamingFileAndEntry) {
  EXPECT_EQ(ErrorOf("requirements: 3"), "bad.yaml: expected a map with a 'requirements' list");
  EXPECT_NE(ErrorOf("requirements: [\n").find("bad.yaml:"), std::string::npos);
  std::string missing_text = ErrorOf(
      "requirements:\n  - id: VIG-RT-001\n    title: t\n    safety_class: C\n    status: "
      "planned\n");
  EXPECT_EQ(missing_text, "bad.yaml:2: VIG-RT-001: missing 'text' (a non-empty string)");
  std::string bad_class = ErrorOf(
      "requirements:\n  - id: VIG-RT-001\n    title: t\n    text: x\n    safety_class: D\n    "
      "status: planned\n");
  EXPECT_EQ(bad_class, "bad.yaml:2: VIG-RT-001: safety_class 'D' is not one of: A, B, C");
  EXPECT_NE(ErrorOf("requirements:\n  - id: RT-1\n").find("ID must look like VIG-<AREA>-<NNN>"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kGood) +
                    std::string(kGood).substr(std::string(kGood).find("  - id: VIG-RT-002")))
                .find("VIG-RT-002: duplicate ID"),
            std::string::npos);
}

TEST(RequirementSet, WarnsAboutUnknownFieldsAndDanglingLinks) {
  RequirementSet set;
  AddRequirementsYaml(
      set,
      "requirements:\n  - id: VIG-TL-001\n    title: t\n    text: x\n    safety_class: A\n"
      "    status: planned\n    hazard: [HAZ-009]\n    hazards: [HAZ-404]\n",
      "tools.yaml");
  std::vector<Finding> findings = set.Findings();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].message, "unknown field 'hazard' ignored");
  EXPECT_EQ(findings[1].message, "names hazard HAZ-404, which no risk file defines");
}

TEST(RequirementSet, RecognisesIds) {
  EXPECT_TRUE(IsRequirementId("VIG-RT-001"));
  EXPECT_TRUE(IsRequirementId("VIG-ECG-012"));
  EXPECT_FALSE(IsRequirementId("VIG-RT-1"));
  EXPECT_FALSE(IsRequirementId("slow"));
  EXPECT_TRUE(IsHazardId("HAZ-001"));
  EXPECT_TRUE(IsHazardId("HAZ-SEG-003"));
  EXPECT_FALSE(IsHazardId("HAZ-1"));
}

}  // namespace
}  // namespace vigil::regulatory
