// vigil seg: the histopathology segmentation pipeline (eval, run, stress).
#include <vector>

#include "apps/seg_viewer/seg_commands.h"
#include "host/command_line.h"

namespace vigil {

int RunSegCommand(int argc, char** argv) {
  const std::vector<Subcommand> commands = {
      {"eval", "score a model on a GlaS split: Dice, IoU, mIoU, object F1 and Dice",
       seg::RunSegEvalCommand},
      {"run", "segment frames from a camera, video or image folder; overlay, FPS, latency",
       seg::RunSegRunCommand},
      {"stress", "Dice under graded blur, noise, JPEG, exposure and stain; quality-gate ROC",
       seg::RunSegStressCommand},
  };
  return DispatchSubcommand("vigil seg", commands, argc, argv);
}

}  // namespace vigil
