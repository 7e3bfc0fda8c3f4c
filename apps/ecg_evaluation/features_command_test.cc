// `vigil ecg features` must give the training script the beats `vigil ecg eval` scores: the same
// detected beats, paired with the same reference beats. Checked against the evaluator's own counts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "apps/ecg_evaluation/ecg_evaluation.h"
#include "apps/ecg_evaluation/evaluation_commands.h"
#include "host/atomic_file.h"
#include "host/npy.h"

namespace vigil::ecg {
namespace {

std::string MitdbDir() {
  const char* dir = std::getenv("VIGIL_DATA_DIR");
  return std::string(dir ? dir : "../shared/data") + "/mitdb";
}

template <typename T>
std::vector<T> Values(const std::string& path) {
  const NpyArray a = ReadNpy(path);
  std::vector<T> out(static_cast<size_t>(a.ElementCount()));
  EXPECT_EQ(a.data.size(), out.size() * sizeof(T)) << path;
  std::memcpy(out.data(), a.data.data(), std::min(a.data.size(), out.size() * sizeof(T)));
  return out;
}

TEST(EcgFeatures, PairsEveryDetectedBeatAsTheEvaluatorScoresIt) {
  if (!std::filesystem::exists(MitdbDir() + "/100.dat")) {
    GTEST_SKIP() << "MIT-BIH Arrhythmia Database (mitdb) not found under " << MitdbDir();
  }
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("vigil_ecg_features_" + std::to_string(::getpid()));
  std::filesystem::create_directories(out);
  const std::string db = MitdbDir(), dir = out.string();
  const char* argv[] = {"features",    "--db", db.c_str(),  "--records",
                        "100,119,208", "-o",   dir.c_str(), "--json"};
  testing::internal::CaptureStdout();
  ASSERT_EQ(RunEcgFeaturesCommand(static_cast<int>(std::size(argv)), const_cast<char**>(argv)), 0);
  testing::internal::GetCapturedStdout();

  const Evaluation ev =
      EvaluateRecords(db, {"100", "119", "208"}, nullptr);  // detection only: every beat n
  const nlohmann::json manifest = nlohmann::json::parse(ReadFileText(dir + "/features.json"));
  const std::vector<int32_t> record = Values<int32_t>(dir + "/record.npy");
  const std::vector<int8_t> scored_reference = Values<int8_t>(dir + "/ec57_reference.npy");
  const std::vector<int8_t> reference = Values<int8_t>(dir + "/reference.npy");
  const NpyArray beat = ReadNpy(dir + "/beat.npy"), context = ReadNpy(dir + "/context.npy");
  EXPECT_EQ(beat.shape,
            (std::vector<int64_t>{static_cast<int64_t>(record.size()), 2, kWindowValues}));
  EXPECT_EQ(context.shape,
            (std::vector<int64_t>{static_cast<int64_t>(record.size()), kContextFeatures}));
  for (size_t i = 0; i < ev.records.size(); ++i) {
    SCOPED_TRACE("record " + ev.records[i].record);
    const Ec57Counts& c = ev.records[i].counts;
    int64_t paired[6] = {}, labelled_v = 0;
    for (size_t k = 0; k < record.size(); ++k) {
      if (record[k] != static_cast<int32_t>(i)) continue;
      if (scored_reference[k] >= 0) ++paired[scored_reference[k]];
      labelled_v += reference[k] == 2;
    }
    for (int r = 0; r < 6; ++r)
      EXPECT_EQ(paired[r], c.at(r, 0)) << "reference class " << r;
    const nlohmann::json& missed = manifest["records"][i]["missed_scored_reference_beats"];
    for (int r = 0; r < kAamiClasses; ++r) {
      EXPECT_EQ(missed[std::string(1, "NSVFQ"[r])].get<int64_t>(), c.at(r, 5))
          << "missed class " << r;
    }
    // Over the whole record (the first 5 minutes too) at least as many beats are labelled V.
    EXPECT_GE(labelled_v, paired[2]);
  }
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace vigil::ecg
