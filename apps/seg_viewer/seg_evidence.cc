#include "apps/seg_viewer/seg_evidence.h"

#include <cstdio>
#include <cstdlib>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "host/atomic_file.h"
#include "host/build_info.h"
#include "host/error.h"

namespace vigil::seg {

nlohmann::json EvidenceHeader(int argc, char** argv) {
  std::string command = "vigil seg";  // argv[0] is the seg subcommand
  for (int i = 0; i < argc; ++i)
    command += std::string(" ") + argv[i];
  nlohmann::json header = EvidenceProvenance(command);
  header["tool_version"] = CurrentBuildInfo().version;
  return header;
}

void EmitJson(const nlohmann::json& report, bool print, const std::string& path) {
  const std::string text = report.dump(2) + "\n";
  if (print) std::fputs(text.c_str(), stdout);
  if (!path.empty()) WriteFileAtomic(path, text);
}

std::vector<uint8_t> EncodePng(const cv::Mat& bgr, int max_width) {
  cv::Mat shown = bgr;
  if (max_width > 0 && bgr.cols > max_width) {
    cv::resize(bgr, shown, {max_width, bgr.rows * max_width / bgr.cols}, 0, 0, cv::INTER_AREA);
  }
  std::vector<uint8_t> png;
  if (!cv::imencode(".png", shown, png)) throw HostError("cannot encode a PNG image");
  return png;
}

std::string DefaultGlasDir() {
  const char* dir = std::getenv("VIGIL_DATA_DIR");
  return std::string(dir && *dir ? dir : "../shared/data") + "/glas/Warwick_QU_Dataset";
}

}  // namespace vigil::seg
