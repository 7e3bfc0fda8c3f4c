// What every `vigil seg` report carries: the command line that made it and the build that ran it
// (commit, UTC date), so docs/evidence/seg_*.json can be traced back; and PNG encoding for reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace vigil::seg {

// {"commit", "date", "command", "tool_version"} from CurrentBuildInfo() and the argv of a seg
// subcommand (argv[0] = "eval"), recorded as "vigil seg eval ...".
nlohmann::json EvidenceHeader(int argc, char** argv);
// Prints `report` when `print`; writes it atomically to `path` when not empty.
void EmitJson(const nlohmann::json& report, bool print, const std::string& path);
// PNG bytes of `bgr`, downscaled to `max_width` when wider (0: full size).
std::vector<uint8_t> EncodePng(const cv::Mat& bgr, int max_width = 0);
// The data folder a command defaults to: $VIGIL_DATA_DIR/glas/Warwick_QU_Dataset.
std::string DefaultGlasDir();

}  // namespace vigil::seg
