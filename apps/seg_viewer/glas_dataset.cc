#include "apps/seg_viewer/glas_dataset.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include <opencv2/imgcodecs.hpp>

#include "apps/seg_viewer/image_file.h"
#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil::seg {

std::vector<GlasSample> ListGlasSplit(const std::string& dir, const std::string& split) {
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) throw HostError(dir + ": cannot list the data folder: " + error.message());
  const std::regex name(std::regex_replace(split, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                        R"(_(\d+)\.png)");
  std::vector<std::pair<long, GlasSample>> found;
  for (const auto& entry : it) {
    std::smatch m;
    const std::string file = entry.path().filename().string();
    if (!std::regex_match(file, m, name)) continue;
    GlasSample s{file.substr(0, file.size() - 4), entry.path().string(), ""};
    s.mask_path = (entry.path().parent_path() / (s.name + "_anno.png")).string();
    if (!std::filesystem::exists(s.mask_path))
      throw HostError(s.image_path + ": no mask " + s.mask_path);
    found.emplace_back(std::stol(m[1].str()), s);
  }
  if (found.empty()) throw HostError(dir + ": no images named " + split + "_<n>.png");
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<GlasSample> samples;
  for (auto& f : found)
    samples.push_back(std::move(f.second));
  return samples;
}

cv::Mat ReadColorImage(const std::string& path) {
  return DecodeImage(ReadFileBytes(path, kImageFile), cv::IMREAD_COLOR, path);
}

cv::Mat ReadInstanceMask(const std::string& path, cv::Size expected) {
  return DecodeInstanceMask(ReadFileBytes(path, kImageFile), expected, path);
}

cv::Mat DecodeInstanceMask(const std::vector<uint8_t>& bytes, cv::Size expected,
                           const std::string& path) {
  cv::Mat raw = DecodeImage(bytes, cv::IMREAD_UNCHANGED, path);
  if (raw.channels() != 1 || (raw.depth() != CV_8U && raw.depth() != CV_16U)) {
    throw HostError(path + ": the mask must be a one-channel 8- or 16-bit label image");
  }
  if (raw.size() != expected) {
    throw HostError(path + ": mask is " + std::to_string(raw.cols) + "x" +
                    std::to_string(raw.rows) + ", image is " + std::to_string(expected.width) +
                    "x" + std::to_string(expected.height));
  }
  cv::Mat labels;
  raw.convertTo(labels, CV_32S);
  return labels;
}

}  // namespace vigil::seg
