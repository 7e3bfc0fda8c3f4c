// libFuzzer target: annotation masks are files from outside (a data set, a lab). Any bytes must
// either decode to labels that score cleanly against a prediction or raise HostError, never crash.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "apps/seg_viewer/glas_dataset.h"
#include "apps/seg_viewer/segmentation_metrics.h"
#include "host/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::setNumThreads(1);
  std::vector<uint8_t> bytes(data, data + size);
  cv::Mat probe = bytes.empty() ? cv::Mat() : cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  if (probe.empty() || probe.total() > (1u << 20)) return 0;  // keep each run small
  try {
    cv::Mat labels = vigil::seg::DecodeInstanceMask(bytes, probe.size(), "fuzz");
    cv::Mat predicted = labels > 1;
    (void)vigil::seg::ScoreSegmentation(predicted, labels);
  } catch (const vigil::HostError&) {
  }
  return 0;
}
