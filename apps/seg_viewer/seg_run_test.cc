// `vigil seg run --source images:DIR --out DIR` end to end on small GlaS images: the overlay marks
// exactly the mask pixels, the mask matches the pathologists' annotation, and a blurred frame is
// refused by the quality gate with no mask written.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "apps/seg_viewer/mask_overlay.h"
#include "apps/seg_viewer/segmentation_metrics.h"
#include "host/atomic_file.h"
#include "testing/cli_runner.h"

namespace vigil::seg {
namespace {

namespace fs = std::filesystem;

cv::Mat Half(const cv::Mat& image, int interpolation) {
  cv::Mat out;
  cv::resize(image, out, {image.cols / 2, image.rows / 2}, 0, 0, interpolation);
  return out;
}

TEST(SegRunTest, OverlaysMarkTheMaskAndTheGateRefusesBlur) {
  const char* data_env = std::getenv("VIGIL_DATA_DIR");
  const fs::path data = fs::path(data_env && *data_env ? data_env : VIGIL_CONFIGURED_DATA_DIR) /
                        "glas/Warwick_QU_Dataset";
  if (!fs::exists(data / "testA_1.png")) GTEST_SKIP() << "GlaS data set not found (" << data << ")";
  const fs::path source = VIGIL_SOURCE_DIR, binary = VIGIL_BINARY_DIR;
  const fs::path work = fs::temp_directory_path() / "vigil_seg_run_test", in = work / "in",
                 out = work / "out";
  fs::remove_all(work);
  fs::create_directories(in);
  for (const char* name : {"testA_1", "testA_7"}) {
    cv::imwrite((in / (std::string(name) + ".png")).string(),
                Half(cv::imread((data / (std::string(name) + ".png")).string()), cv::INTER_AREA));
  }
  cv::Mat blurred;
  cv::GaussianBlur(Half(cv::imread((data / "testA_2.png").string()), cv::INTER_AREA), blurred,
                   {0, 0}, 6.0);
  cv::imwrite((in / "testA_2_blurred.png").string(), blurred);

  const std::string command = (binary / "bin/vigil").string() +
                              " seg run --source images:" + in.string() + " --model " +
                              (source / "models/seg/seg_fp32.vgl").string() + " --out " +
                              out.string() + " --json > " + (work / "run.json").string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  nlohmann::json report = nlohmann::json::parse(std::ifstream(work / "run.json"));
  ASSERT_EQ(report["frame_count"], 3);
  EXPECT_EQ(report["rejected"], 1);

  for (const char* name : {"testA_1", "testA_7"}) {
    SCOPED_TRACE(name);
    cv::Mat frame = cv::imread((in / (std::string(name) + ".png")).string());
    cv::Mat overlay = cv::imread((out / (std::string(name) + "_overlay.png")).string());
    cv::Mat mask =
        cv::imread((out / (std::string(name) + "_mask.png")).string(), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(overlay.empty() || mask.empty());
    ASSERT_EQ(overlay.size(), cv::Size(frame.cols, frame.rows + kLegendHeight));
    ASSERT_EQ(mask.size(), frame.size());
    cv::Mat near_mask, changed;
    cv::dilate(mask, near_mask,
               cv::getStructuringElement(cv::MORPH_RECT,
                                         {2 * kContourThickness + 1, 2 * kContourThickness + 1}));
    cv::Mat diff;
    cv::absdiff(overlay(cv::Rect(0, 0, frame.cols, frame.rows)), frame, diff);
    cv::cvtColor(diff, changed, cv::COLOR_BGR2GRAY);
    changed = changed > 0;
    // Every mask pixel is marked; nothing away from the mask is.
    EXPECT_EQ(cv::countNonZero(mask & ~changed), 0);
    EXPECT_EQ(cv::countNonZero(changed & ~near_mask), 0);
    // Marked pixels carry the fill, (1 - a) frame + a green, or the contour colour.
    cv::Mat fill, fill_error, contour_error;
    cv::addWeighted(frame, 1.0 - kFillOpacity, cv::Mat(frame.size(), CV_8UC3, kFillColor),
                    kFillOpacity, 0.0, fill);
    cv::absdiff(overlay(cv::Rect(0, 0, frame.cols, frame.rows)), fill, fill_error);
    cv::absdiff(overlay(cv::Rect(0, 0, frame.cols, frame.rows)),
                cv::Mat(frame.size(), CV_8UC3, kContourColor), contour_error);
    cv::Mat is_fill, is_contour;
    cv::cvtColor(fill_error, is_fill,
                 cv::COLOR_BGR2GRAY);  // grey of an error <= 1 everywhere is <= 1
    cv::cvtColor(contour_error, is_contour, cv::COLOR_BGR2GRAY);
    EXPECT_EQ(cv::countNonZero(mask & ~((is_fill <= 1) | (is_contour == 0))), 0);
    // And the mask is the glands: pixel Dice against the annotation, at the same half size.
    cv::Mat labels_raw = Half(cv::imread((data / (std::string(name) + "_anno.png")).string(),
                                         cv::IMREAD_UNCHANGED),
                              cv::INTER_NEAREST),
            labels;
    labels_raw.convertTo(labels, CV_32S);
    EXPECT_GT(ScoreSegmentation(mask, labels).Dice(), 0.85);
  }
  EXPECT_FALSE(fs::exists(out / "testA_2_blurred_mask.png"));
  cv::Mat refused = cv::imread((out / "testA_2_blurred_overlay.png").string());
  ASSERT_FALSE(refused.empty());
  EXPECT_EQ(cv::norm(refused(cv::Rect(0, 0, blurred.cols, blurred.rows)), blurred, cv::NORM_INF),
            0.0);
  for (const auto& f : report["frames"]) {
    if (f["name"] == "testA_2_blurred") {
      EXPECT_EQ(f["status"], "rejected");
      EXPECT_EQ(f["message"].get<std::string>().rfind("image quality too low: focus ", 0), 0u);
    }
  }
  fs::remove_all(work);
}

// An unreadable image among the inputs: Open reads every header first, so nothing is written; an
// image whose header is good but whose data is damaged stops the run with an error that says where
// the outputs of the frames before it are (docs/segmentation.md).
TEST(SegRunTest, AnUnreadableImageStopsTheRunSayingWhatWasWritten) {
  const fs::path work =
      fs::temp_directory_path() / ("vigil_seg_run_unreadable_" + std::to_string(getpid()));
  const fs::path in = work / "in", out = work / "out";
  fs::remove_all(work);
  fs::create_directories(in);
  cv::Mat frame(96, 128, CV_8UC3);
  cv::randu(frame, 0, 255);
  ASSERT_TRUE(cv::imwrite((in / "a.png").string(), frame));
  WriteFileAtomic((in / "b.png").string(), std::string("not an image at all"));
  const std::vector<std::string> run = {
      "seg",      "run",
      "--source", "images:" + in.string(),
      "--model",  std::string(VIGIL_SOURCE_DIR) + "/models/seg/seg_fp32.vgl",
      "--out",    out.string()};
  testing::CommandResult r = testing::RunVigil(run);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((in / "b.png").string() + ": not a PNG, JPEG, TIFF or BMP image"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out / "a_overlay.png"));
  EXPECT_FALSE(fs::exists(out));

  std::vector<uint8_t> damaged;
  ASSERT_TRUE(cv::imencode(".png", frame, damaged));
  damaged.resize(damaged.size() / 2);
  WriteFileAtomic((in / "b.png").string(), damaged);
  r = testing::RunVigil(run);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((in / "b.png").string() + ": cannot decode the PNG image"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("stopped: the outputs of the 1 frame(s) before it are in " + out.string()),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(fs::exists(out / "a_overlay.png"));
  EXPECT_FALSE(fs::exists(out / "b_overlay.png"));
  fs::remove_all(work);
}

}  // namespace
}  // namespace vigil::seg
