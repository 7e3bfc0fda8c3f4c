// `vigil ecg monitor --record` as a user runs it, on small WFDB records the test writes from the
// synthetic ECG (whose beats and classes are known), so no data set is needed (issue 13, item 12):
//  - only the analysed span (--seconds) is scored against the reference;
//  - a statistic with nothing to count (0/0) prints as "-" and is null in JSON;
//  - a record with no reference annotation file is monitored, not refused, and nothing is scored.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/ecg_evaluation/ecg_evaluation.h"
#include "apps/ecg_evaluation/mitdb.h"
#include "apps/ecg_evaluation/synthetic_ecg.h"
#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"
#include "host/atomic_file.h"
#include "testing/cli_runner.h"

namespace vigil::ecg {
namespace {

namespace fs = std::filesystem;

using vigil::testing::RunVigil;

class MonitorRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vigil_monitor_record_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes NAME.hea, NAME.dat (format 16) and, with `reference`, NAME.atr; returns DIR/NAME.
  std::string WriteRecord(const std::string& name, const SyntheticEcg& ecg, bool reference = true,
                          const std::string& gain_field = "200/mV", int scale = 1) {
    std::vector<uint8_t> dat;
    int32_t sum = 0;
    for (int32_t v : ecg.samples) {
      const int32_t scaled = v * scale;
      dat.push_back(static_cast<uint8_t>(scaled));
      dat.push_back(static_cast<uint8_t>(scaled >> 8));
      sum += scaled;
    }
    WriteFileAtomic((dir_ / (name + ".dat")).string(), dat);
    WriteFileAtomic((dir_ / (name + ".hea")).string(),
                    name + " 1 360 " + std::to_string(ecg.samples.size()) + "\n" + name +
                        ".dat 16 " + gain_field + " 16 0 " +
                        std::to_string(ecg.samples[0] * scale) + " " +
                        std::to_string(static_cast<int16_t>(sum)) + " 0 MLII\n");
    if (reference) {
      std::vector<WfdbAnnotation> atr;
      for (const TestBeat& b : ecg.truth) {
        WfdbAnnotation a;
        a.time = b.time;
        a.code = b.label == AamiClass::kV   ? annotation_code::kPvc
                 : b.label == AamiClass::kS ? annotation_code::kApc
                                            : annotation_code::kNormal;
        atr.push_back(a);
      }
      WriteFileAtomic((dir_ / (name + ".atr")).string(), SerializeWfdbAnnotations(atr));
    }
    return (dir_ / name).string();
  }

  fs::path dir_;
};

SyntheticEcg Ecg(double seconds, bool ectopic) {
  SyntheticEcgOptions options;
  options.seconds = seconds;
  if (!ectopic) {
    options.pvc_every_beats = 0;
    options.pac_every_beats = 0;
    options.episodes = false;
  }
  return GenerateSyntheticEcg(options);
}

nlohmann::json Summary(const testing::CommandResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST_F(MonitorRecordTest, ScoresOnlyTheAnalysedSpanAgainstTheReference) {
  // 60 s of record, 10 s analysed: before the fix the whole record's reference was the yardstick,
  // so five sixths of its beats counted as missed (QRS Se about 17 %).
  const std::string record = WriteRecord("syn", Ecg(60, true));
  const nlohmann::json s =
      Summary(RunVigil({"ecg", "monitor", "--record", record, "--seconds", "10", "--json"}));
  ASSERT_TRUE(s["against_reference"].is_object()) << s.dump(2);
  EXPECT_GE(s["against_reference"]["qrs"]["se"].get<double>(), 95) << s.dump(2);
  EXPECT_GE(s["against_reference"]["qrs"]["ppv"].get<double>(), 95) << s.dump(2);
}

TEST_F(MonitorRecordTest, UndefinedStatisticsPrintAsDashAndJsonNull) {
  // Sinus rhythm only: no reference V or S beat, so VEB Se and SVEB Se are 0/0.
  const std::string record = WriteRecord("sinus", Ecg(30, false));
  const nlohmann::json s = Summary(RunVigil({"ecg", "monitor", "--record", record, "--json"}));
  EXPECT_TRUE(s["against_reference"]["veb"]["se"].is_null()) << s.dump(2);
  EXPECT_TRUE(s["against_reference"]["sveb"]["se"].is_null()) << s.dump(2);

  const testing::CommandResult text = RunVigil({"ecg", "monitor", "--record", record, "--quiet"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("VEB Se - "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("SVEB Se - "), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("-1.00"), std::string::npos) << text.out;
}

TEST_F(MonitorRecordTest, RunsWithoutAReferenceAnnotationFileAndScoresNothing) {
  const std::string record = WriteRecord("unannotated", Ecg(20, true), /*reference=*/false);
  const testing::CommandResult text = RunVigil({"ecg", "monitor", "--record", record});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("  N  RR "), std::string::npos) << "prints the beats:\n" << text.out;
  EXPECT_NE(text.out.find("no reference annotations"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("against the reference"), std::string::npos) << text.out;

  const nlohmann::json s = Summary(RunVigil({"ecg", "monitor", "--record", record, "--json"}));
  EXPECT_TRUE(s.contains("against_reference") && s["against_reference"].is_null()) << s.dump(2);
  EXPECT_GT(s["beats"]["N"].get<int64_t>(), 15);
}

TEST_F(MonitorRecordTest, AnUnreadableReferenceFileIsStillAnError) {
  const std::string record = WriteRecord("broken", Ecg(20, true));
  WriteFileAtomic(record + ".atr", std::string("\x01\x04\x02", 3));  // truncated mid-annotation
  const testing::CommandResult r = RunVigil({"ecg", "monitor", "--record", record, "--quiet"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("broken.atr"), std::string::npos) << r.err;
}

TEST_F(MonitorRecordTest, GainInMicrovoltsReachesTheChainInAduPerMillivolt) {
  // The same ECG at 1 adu/uV (1000 adu/mV) must reach the chain as 1000 adu/mV, not as 1.
  const SyntheticEcg ecg = Ecg(20, true);
  WriteRecord("microvolts", ecg, true, "1/uV", 5);
  const EcgRecording rec = LoadRecording(dir_.string(), "microvolts");
  EXPECT_EQ(rec.gain, 1000);
  const nlohmann::json mv =
      Summary(RunVigil({"ecg", "monitor", "--record", WriteRecord("millivolts", ecg), "--json"}));
  const nlohmann::json uv =
      Summary(RunVigil({"ecg", "monitor", "--record", (dir_ / "microvolts").string(), "--json"}));
  int64_t mv_beats = 0, uv_beats = 0;
  for (const auto& [label, count] : mv["beats"].items())
    mv_beats += count.get<int64_t>();
  for (const auto& [label, count] : uv["beats"].items())
    uv_beats += count.get<int64_t>();
  EXPECT_LE(std::llabs(uv_beats - mv_beats), 1)
      << uv_beats << " beats at 1 adu/uV, " << mv_beats << " at 200 adu/mV";
}

TEST(EcgStatistics, AnUndefinedStatisticIsADashInTextAndNullInJson) {
  Ec57Stats s;
  s.qrs_se = 99.5;
  EXPECT_EQ(FormatStatistic(s.qrs_se), "99.50");
  EXPECT_EQ(FormatStatistic(s.veb_se), "-");
  const nlohmann::json j = StatsJson(s);
  EXPECT_EQ(j["qrs"]["se"].get<double>(), 99.5);
  EXPECT_TRUE(j["veb"]["se"].is_null());
  EXPECT_TRUE(j["veb"]["fpr"].is_null());
}

}  // namespace
}  // namespace vigil::ecg
