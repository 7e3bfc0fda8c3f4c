// vigil seg run: the viewer. Frames from a camera, a video or an image folder go through the
// quality gate and the segmenter; the overlay goes to a window (when a display exists) or to files.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <opencv2/highgui.hpp>
#include <opencv2/videoio.hpp>

#include "apps/seg_viewer/frame_source.h"
#include "apps/seg_viewer/gland_segmenter.h"
#include "apps/seg_viewer/mask_overlay.h"
#include "apps/seg_viewer/quality_gate.h"
#include "apps/seg_viewer/seg_commands.h"
#include "apps/seg_viewer/seg_evidence.h"
#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"

namespace vigil::seg {
namespace {

struct Stages {
  double capture = 0, preprocess = 0, infer = 0, postprocess = 0, display = 0;
  void Add(const Stages& o) {
    capture += o.capture, preprocess += o.preprocess, infer += o.infer,
        postprocess += o.postprocess, display += o.display;
  }
  nlohmann::json Json(double divide = 1) const {
    return {{"capture_ms", capture / divide},
            {"preprocess_ms", preprocess / divide},
            {"infer_ms", infer / divide},
            {"postprocess_ms", postprocess / divide},
            {"display_ms", display / divide}};
  }
};

using Clock = std::chrono::steady_clock;
double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

bool DisplayExists() {
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY"}) {
    const char* v = std::getenv(name);
    if (v && *v) return true;
  }
  return false;
}

// Writes frames of a video or camera as one MJPG video, renamed into place when complete.
class OverlayVideo {
 public:
  OverlayVideo(const std::string& path, double fps)
      : path_(path), partial_(path + ".partial.avi"), fps_(fps) {}
  void Write(const cv::Mat& frame) {
    if (!writer_.isOpened() &&
        !writer_.open(partial_, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps_, frame.size())) {
      throw HostError(partial_ + ": OpenCV cannot write the video");
    }
    writer_.write(frame);
  }
  void Finish() {
    if (!writer_.isOpened()) return;
    writer_.release();
    std::filesystem::rename(partial_, path_);
  }

 private:
  std::string path_, partial_;
  double fps_;
  cv::VideoWriter writer_;
};

// Quality gate, segmentation and overlay of one frame. `mask` stays empty for a refused frame.
cv::Mat AnalyseFrame(GlandSegmenter& segmenter, const Frame& frame, double focus_threshold,
                     FILE* text, Stages* s, cv::Mat* mask, nlohmann::json* record) {
  auto t = Clock::now();
  const QualityVerdict verdict = CheckImageQuality(segmenter, frame.bgr, focus_threshold);
  s->preprocess = Ms(t);
  *record = {{"name", frame.name}, {"focus", verdict.focus}};
  if (!verdict.passed) {
    record->update({{"status", "rejected"}, {"message", verdict.message}});
    std::fprintf(text, "%s: %s", frame.name.c_str(), verdict.message.c_str());
    return DrawQualityRejection(frame.bgr, verdict.message);
  }
  StageTimes st;
  *mask = segmenter.Segment(frame.bgr, &st);
  t = Clock::now();
  const double fraction = cv::countNonZero(*mask) / double(mask->total());
  char status[96];
  std::snprintf(status, sizeof(status), "gland %.1f%%  focus %.0f", 100 * fraction, verdict.focus);
  cv::Mat shown = DrawMaskOverlay(frame.bgr, *mask, status);
  s->preprocess += st.preprocess_ms;
  s->infer = st.infer_ms;
  s->postprocess = st.postprocess_ms + Ms(t);
  record->update({{"status", "segmented"}, {"gland_fraction", fraction}});
  std::fprintf(text, "%s: %dx%d gland %.1f%% focus %.1f", frame.name.c_str(), frame.bgr.cols,
               frame.bgr.rows, 100 * fraction, verdict.focus);
  return shown;
}

struct Outputs {
  bool display;
  OverlayVideo* video;     // frames of a camera or video, or null
  std::string images_dir;  // overlays and masks of an image folder, or empty
};

// Shows or writes one analysed frame; false when the user closed the window (Esc).
bool Present(const Outputs& outputs, const std::string& name, const cv::Mat& shown,
             const cv::Mat& mask) {
  if (outputs.video) outputs.video->Write(shown);
  if (!outputs.images_dir.empty()) {
    StagedFiles files;  // a frame's overlay and mask, both or neither
    files.Stage(outputs.images_dir + "/" + name + "_overlay.png", EncodePng(shown));
    if (!mask.empty()) files.Stage(outputs.images_dir + "/" + name + "_mask.png", EncodePng(mask));
    files.Commit();
  }
  if (!outputs.display) return true;
  cv::imshow("vigil seg", shown);
  return cv::waitKey(1) != 27;
}

// Open checked every image's header, so a frame fails here only when its data is damaged. The
// outputs of the frames before it stay (each frame's are complete); the error says where they are.
bool ReadFrame(FrameSource& source, Frame* frame, const std::string& images_dir,
               int64_t frames_done) {
  try {
    return source.Read(frame);
  } catch (const HostError& e) {
    if (images_dir.empty() || frames_done == 0) throw;
    throw HostError(std::string(e.what()) + "; stopped: the outputs of the " +
                    std::to_string(frames_done) + " frame(s) before it are in " + images_dir);
  }
}

}  // namespace

int RunSegRunCommand(int argc, char** argv) {
  CommandLine cli("vigil seg run",
                  "Segment glands in frames from a camera, a video or an image folder.");
  std::string source_spec, model = "models/seg/seg_int8.vgl", out;
  bool display = false, json = false;
  double focus_threshold = kDefaultFocusThreshold;
  int max_frames = 0;
  cli.Option("-s", "--source", &source_spec, "SOURCE",
             "camera:N, video:FILE or images:DIR (required)");
  cli.Option("-m", "--model", &model, "MODEL.vgl", "the model (default models/seg/seg_int8.vgl)");
  cli.Flag("", "--display", &display, "show a live window (needs a display)");
  cli.Option("-o", "--out", &out, "DIR",
             "write overlays (and masks) of images, or overlay.avi of a video, here");
  cli.Flag("", "--json", &json, "print per-frame results and timing as JSON");
  cli.Option("", "--focus-threshold", &focus_threshold, "T",
             "quality gate: frames with focus below T get no mask", RealRange{0, 1e9});
  cli.Option("", "--max-frames", &max_frames, "N", "stop after N frames (0: until the source ends)",
             IntegerRange{0, INT32_MAX});
  cli.Epilog(
      "Example:\n  vigil seg run --source images:slides/ --model models/seg/seg_int8.vgl --out "
      "overlays/");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (source_spec.empty()) throw HostError("--source is required");
  if (display && !DisplayExists())
    throw HostError("--display: no display (DISPLAY and WAYLAND_DISPLAY unset); use --out DIR");
  FrameSource source = FrameSource::Open(source_spec);
  GlandSegmenter segmenter(model);
  if (!out.empty()) std::filesystem::create_directories(out);
  std::unique_ptr<OverlayVideo> video;
  if (!out.empty() && !source.is_images()) {
    const double fps = source.frames_per_second();
    video = std::make_unique<OverlayVideo>(out + "/overlay.avi", fps > 0 ? fps : 10.0);
  }
  FILE* text = json ? stderr : stdout;
  const Outputs outputs{display, video.get(), source.is_images() ? out : ""};
  nlohmann::json frames = nlohmann::json::array();
  Stages total;
  int64_t count = 0, rejected = 0;
  const auto start = Clock::now();
  while (max_frames <= 0 || count < max_frames) {
    Stages s;
    auto t = Clock::now();
    Frame frame;
    if (!ReadFrame(source, &frame, outputs.images_dir, count)) break;
    s.capture = Ms(t);
    cv::Mat mask;
    nlohmann::json record;
    const cv::Mat shown = AnalyseFrame(segmenter, frame, focus_threshold, text, &s, &mask, &record);
    rejected += mask.empty();
    t = Clock::now();
    const bool go_on = Present(outputs, frame.name, shown, mask);
    s.display = Ms(t);
    std::fprintf(text,
                 " | capture %.1f preprocess %.1f infer %.1f postprocess %.1f display %.1f ms\n",
                 s.capture, s.preprocess, s.infer, s.postprocess, s.display);
    record["stages"] = s.Json();
    frames.push_back(record);
    total.Add(s);
    ++count;
    if (!go_on) break;
  }
  if (video) video->Finish();
  const double seconds = Ms(start) / 1000.0;
  const double fps = seconds > 0 ? double(count) / seconds : 0.0;
  const double n = count ? double(count) : 1.0;
  std::fprintf(
      text,
      "%lld frames (%lld rejected by the quality gate) in %.2f s: %.2f FPS; mean capture %.1f, "
      "preprocess %.1f, infer %.1f, postprocess %.1f, display %.1f ms\n",
      static_cast<long long>(count), static_cast<long long>(rejected), seconds, fps,
      total.capture / n, total.preprocess / n, total.infer / n, total.postprocess / n,
      total.display / n);
  nlohmann::json report = EvidenceHeader(argc, argv);
  report.update({{"model", model},
                 {"source", source_spec},
                 {"focus_threshold", focus_threshold},
                 {"frame_count", count},
                 {"rejected", rejected},
                 {"fps", fps},
                 {"mean_stage_ms", total.Json(n)},
                 {"frames", frames}});
  EmitJson(report, json, "");
  return 0;
}

}  // namespace vigil::seg
