// libFuzzer target: annotation masks are files from outside (a data set, a lab). Any bytes must
// either decode to labels that score cleanly against a prediction or raise HostError, never crash.
// The header is read without OpenCV: an image header declaring more than 2^30 pixels once made
// cv::imdecode throw an assertion here (testdata/mask_fuzz_seeds/).
#include <cstddef>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "apps/seg_viewer/glas_dataset.h"
#include "apps/seg_viewer/image_file.h"
#include "apps/seg_viewer/segmentation_metrics.h"
#include "host/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::setNumThreads(1);
  std::vector<uint8_t> bytes(data, data + size);
  try {
    const vigil::seg::ImageHeader header = vigil::seg::ReadImageHeader(bytes, "fuzz");
    constexpr int64_t kMaxPixels = 1 << 20;  // keep each run small
    if (header.width > kMaxPixels || header.height > kMaxPixels ||
        header.width * header.height > kMaxPixels)
      return 0;
    const cv::Size size(static_cast<int>(header.width), static_cast<int>(header.height));
    cv::Mat labels = vigil::seg::DecodeInstanceMask(bytes, size, "fuzz");
    cv::Mat predicted = labels > 1;
    (void)vigil::seg::ScoreSegmentation(predicted, labels);
  } catch (const vigil::HostError&) {
  }
  return 0;
}
