// Image headers read without OpenCV, checked against what OpenCV itself encodes; images too large
// to decode are refused before OpenCV allocates anything.
#include "apps/seg_viewer/image_file.h"

#include <unistd.h>

#include <filesystem>
#include <functional>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "apps/seg_viewer/glas_dataset.h"
#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil::seg {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> Encode(const std::string& extension, const cv::Mat& image) {
  std::vector<uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(extension, image, bytes)) << extension;
  return bytes;
}

// A PNG whose header declares 65536 x 32768 pixels (IHDR CRC correct) over 16 bytes of data: what a
// hostile or damaged file looks like. The mask fuzz target's regression seed.
std::vector<uint8_t> HugePng() {
  return ReadFileBytes(std::string(VIGIL_SOURCE_DIR) +
                       "/apps/seg_viewer/testdata/mask_fuzz_seeds/png_header_2_31_pixels.png");
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const HostError& e) {
    return e.what();
  }
  return "";
}

TEST(ImageFileTest, HeadersGiveTheSizeOpenCvEncoded) {
  const cv::Mat image(37, 53, CV_8UC3, cv::Scalar(10, 20, 30));
  for (const char* extension : {".png", ".jpg", ".tiff", ".bmp"}) {
    const ImageHeader header = ReadImageHeader(Encode(extension, image), extension);
    EXPECT_EQ(header.width, 53) << extension;
    EXPECT_EQ(header.height, 37) << extension;
  }
  EXPECT_EQ(ReadImageHeader(Encode(".tiff", cv::Mat::zeros(300, 700, CV_16U)), "t").height, 300);
  EXPECT_EQ(std::string(ReadImageHeader(Encode(".jpg", image), "j").format), "JPEG");
}

TEST(ImageFileTest, ContentThatIsNoKnownImageIsRefusedNamingTheFile) {
  EXPECT_NE(ErrorOf([] {
              ReadImageHeader(std::vector<uint8_t>{'G', 'I', 'F', '8'}, "a.png");
            }).find("a.png: not a PNG, JPEG, TIFF or BMP image"),
            std::string::npos);
  const std::vector<uint8_t> png = Encode(".png", cv::Mat::zeros(4, 4, CV_8U));
  for (size_t length : {8, 15, 20, 23}) {  // cut inside the IHDR
    EXPECT_NE(ErrorOf([&] {
                ReadImageHeader(std::span(png).first(length), "cut.png");
              }).find("cut.png: malformed PNG"),
              std::string::npos)
        << length;
  }
  const std::vector<uint8_t> jpeg = Encode(".jpg", cv::Mat::zeros(4, 4, CV_8U));
  for (size_t length = 2; length < 40; ++length)
    EXPECT_THROW(ReadImageHeader(std::span(jpeg).first(length), "j"), HostError);
}

// The regression: OpenCV's own limit is 2^30 pixels, enforced by an assertion that escaped as
// "internal error" (and aborted the mask fuzz target); below it, a 20000 x 20000 frame held 2.3 GB.
TEST(ImageFileTest, ImagesLargerThanTheLimitAreRefusedBeforeDecoding) {
  const fs::path dir = fs::temp_directory_path() / ("vigil_image_file_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string huge = (dir / "huge.png").string();
  WriteFileAtomic(huge, HugePng());
  const std::string message = ErrorOf([&] { ReadColorImage(huge); });
  EXPECT_NE(message.find(huge + ": a 65536x32768 image is larger than the 33554432 pixels"),
            std::string::npos)
      << message;
  EXPECT_NE(ErrorOf([&] {
              ReadInstanceMask(huge, {65536, 32768});
            }).find("larger than the 33554432 pixels"),
            std::string::npos);
  EXPECT_NO_THROW(CheckImageSize(7680, 4320, "8K UHD"));
  EXPECT_THROW(CheckImageSize(20000, 20000, "frame"), HostError);
  EXPECT_THROW(CheckImageSize(int64_t{1} << 40, 0, "frame"), HostError);
  fs::remove_all(dir);
}

TEST(ImageFileTest, DamagedDataAfterAGoodHeaderIsAHostError) {
  std::vector<uint8_t> png = Encode(".png", cv::Mat(64, 64, CV_8UC3, cv::Scalar(1, 2, 3)));
  png.resize(png.size() / 2);
  EXPECT_NE(ErrorOf([&] {
              DecodeImage(png, cv::IMREAD_COLOR, "half.png");
            }).find("half.png: cannot decode the PNG image"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::seg
