// `vigil-seg`: the gland segmentation commands (eval, run, stress), which `vigil seg ARGS` runs as
// `vigil-seg ARGS`. A program of its own because they need OpenCV's imaging and video stack, which
// Debian builds with GDAL, HDF5, OpenEXR, FFmpeg, GTK and more: linked into `vigil`, every command
// loaded those libraries and every one was a third-party component of the tool (docs/house.md).
// Errors read as they do from `vigil seg`: one line on stderr and exit status 1.
#include <cstdio>
#include <exception>
#include <vector>

#include "apps/seg_viewer/seg_commands.h"
#include "host/command_line.h"
#include "host/error.h"

int main(int argc, char** argv) {
  const std::vector<vigil::Subcommand> commands = {
      {"eval", "score a model on a GlaS split: Dice, IoU, mIoU, object F1 and Dice",
       vigil::seg::RunSegEvalCommand},
      {"run", "segment frames from a camera, video or image folder; overlay, FPS, latency",
       vigil::seg::RunSegRunCommand},
      {"stress", "Dice under graded blur, noise, JPEG, exposure and stain; quality-gate ROC",
       vigil::seg::RunSegStressCommand},
  };
  try {
    return vigil::DispatchSubcommand("vigil seg", commands, argc, argv);
  } catch (const vigil::HostError& e) {
    std::fprintf(stderr, "vigil seg: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil seg: internal error: %s\n", e.what());
    return 1;
  }
}
