// Acceptance on the full GlaS testA split (slow: every image through the runtime), and the
// research-only labelling of the shipped model.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vigil::seg {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SegAccuracyTest, Fp32ModelReachesTheDiceFloorOnTestA) {
  const char* data_env = std::getenv("VIGIL_DATA_DIR");
  const fs::path data = fs::path(data_env && *data_env ? data_env : VIGIL_CONFIGURED_DATA_DIR) / "glas/Warwick_QU_Dataset";
  if (!fs::exists(data / "testA_1.png")) GTEST_SKIP() << "GlaS data set not found (" << data << ")";
  const fs::path json = fs::temp_directory_path() / "vigil_seg_accuracy.json";
  const std::string command = std::string(VIGIL_BINARY_DIR) + "/bin/vigil seg eval --data " + data.string() +
                              " --split testA --jobs 2 --min-dice 0.88 --model " + VIGIL_SOURCE_DIR +
                              "/models/seg/seg_fp32.vgl -o " + json.string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  nlohmann::json report = nlohmann::json::parse(Read(json));
  EXPECT_EQ(report["image_count"], 60);
  EXPECT_GE(report["dice"].get<double>(), 0.88);
  EXPECT_GT(report["object_f1"].get<double>(), 0.7);
}

TEST(SegAccuracyTest, ModelCardAndReadmeSayResearchOnly) {
  const fs::path source = VIGIL_SOURCE_DIR;
  nlohmann::json card = nlohmann::json::parse(Read(source / "models/seg/model_card.json"));
  const std::string license = card["license"], limitations = card["limitations"].dump();
  EXPECT_NE(license.find("research"), std::string::npos);
  EXPECT_NE(limitations.find("not for clinical"), std::string::npos);
  EXPECT_NE(Read(source / "models/seg/model_card.md").find("not for clinical or commercial use"), std::string::npos);
  EXPECT_NE(Read(source / "README.md").find("not for clinical or commercial use"), std::string::npos);
}

}  // namespace
}  // namespace vigil::seg
