// vigil seg eval: scores a segmentation model on a GlaS split (pixel Dice, IoU per class, mIoU,
// object F1, object Dice), per image and pooled, with an HTML report of the best and worst images.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>

#include <opencv2/imgproc.hpp>

#include "apps/seg_viewer/gland_segmenter.h"
#include "apps/seg_viewer/glas_dataset.h"
#include "apps/seg_viewer/mask_overlay.h"
#include "apps/seg_viewer/seg_commands.h"
#include "apps/seg_viewer/seg_evidence.h"
#include "apps/seg_viewer/segmentation_metrics.h"
#include "apps/seg_viewer/worker_threads.h"
#include "host/command_line.h"
#include "host/digest.h"
#include "host/error.h"
#include "host/html_report.h"
#include "host/progress_bar.h"
#include "host/svg_chart.h"

namespace vigil::seg {
namespace {

struct ImageResult {
  std::string name;
  SegmentationScores scores;
  double infer_ms = 0;
};

nlohmann::json ScoresJson(const SegmentationScores& s) {
  return {{"dice", s.Dice()},
          {"iou", {{"background", s.BackgroundIou()}, {"gland", s.GlandIou()}}},
          {"miou", s.MeanIou()},
          {"object_f1", s.ObjectF1()},
          {"object_dice", s.ObjectDice()}};
}

// The prediction overlay with the ground truth's outline in magenta, for the report.
cv::Mat ReportOverlay(const GlasSample& sample, GlandSegmenter& segmenter, double dice) {
  cv::Mat bgr = ReadColorImage(sample.image_path);
  cv::Mat labels = ReadInstanceMask(sample.mask_path, bgr.size());
  char status[64];
  std::snprintf(status, sizeof(status), "%s  Dice %.3f  (magenta: ground truth)",
                sample.name.c_str(), dice);
  cv::Mat shown = DrawMaskOverlay(bgr, segmenter.Segment(bgr), status);
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(labels > 0, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  cv::drawContours(shown, contours, -1, {255, 0, 255}, 1, cv::LINE_8);
  return shown;
}

void WriteHtml(const std::string& path, const nlohmann::json& report,
               const std::vector<GlasSample>& samples, const std::vector<ImageResult>& results,
               GlandSegmenter& segmenter) {
  HtmlReport html("Gland segmentation: " + report["split"].get<std::string>());
  html.KeyValues({{"model", report["model"]},
                  {"split", report["split"]},
                  {"images", std::to_string(results.size())},
                  {"pixel Dice", FormatNumber(report["dice"].get<double>())},
                  {"mIoU", FormatNumber(report["miou"].get<double>())},
                  {"object F1", FormatNumber(report["object_f1"].get<double>())},
                  {"object Dice", FormatNumber(report["object_dice"].get<double>())},
                  {"command", report["command"]}},
                 "Pooled over the split");
  std::vector<size_t> order(results.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return results[a].scores.Dice() > results[b].scores.Dice();
  });
  svg::LineChart chart;
  chart.title = "Pixel Dice per image, best to worst", chart.x_label = "rank",
  chart.y_label = "Dice";
  svg::Series series;
  series.name = "Dice", series.markers = true;
  std::vector<std::vector<std::string>> rows;
  for (size_t rank = 0; rank < order.size(); ++rank) {
    const ImageResult& r = results[order[rank]];
    series.x.push_back(double(rank + 1));
    series.y.push_back(r.scores.Dice());
    char cells[5][16];
    std::snprintf(cells[0], 16, "%.4f", r.scores.Dice());
    std::snprintf(cells[1], 16, "%.4f", r.scores.MeanIou());
    std::snprintf(cells[2], 16, "%.4f", r.scores.ObjectF1());
    std::snprintf(cells[3], 16, "%.4f", r.scores.ObjectDice());
    std::snprintf(cells[4], 16, "%.0f", r.infer_ms);
    rows.push_back({r.name, cells[0], cells[1], cells[2], cells[3], cells[4]});
  }
  chart.series.push_back(series);
  chart.y_max = 1.0;
  html.Figure(svg::Render(chart), "Per-image pixel Dice, sorted");
  html.Heading("Best and worst images");
  const size_t shown = std::min<size_t>(2, order.size());
  for (size_t k = 0; k < 2 * shown; ++k) {
    const size_t i = k < shown ? order[k] : order[order.size() - 2 * shown + k];
    html.PngImage(EncodePng(ReportOverlay(samples[i], segmenter, results[i].scores.Dice()), 640),
                  (k < shown ? "best: " : "worst: ") + results[i].name, 640);
  }
  html.Table({"image", "Dice", "mIoU", "object F1", "object Dice", "infer ms"}, rows, "Per image");
  html.Write(path);
}

}  // namespace

int RunSegEvalCommand(int argc, char** argv) {
  CommandLine cli("vigil seg eval", "Score a gland segmentation model on a GlaS split.");
  std::string data = DefaultGlasDir(), split = "testA", model = "models/seg/seg_int8.vgl", output,
              html;
  bool json = false;
  int limit = 0, jobs = 1;
  double min_dice = 0;
  cli.Option("", "--data", &data, "DIR",
             "folder of NAME_<n>.png images and NAME_<n>_anno.png masks");
  cli.Option("", "--split", &split, "NAME", "split prefix, e.g. testA (default)");
  cli.Option("-m", "--model", &model, "MODEL.vgl",
             "the model (FP32 or INT8; default models/seg/seg_int8.vgl)");
  cli.Flag("", "--json", &json, "print the report as JSON");
  cli.Option("-o", "--output", &output, "FILE", "also write the JSON report to FILE");
  cli.Option("", "--html", &html, "FILE",
             "write an HTML report with overlays of the best and worst images");
  cli.Option("", "--limit", &limit, "N", "score only the first N images (0: all)",
             IntegerRange{0, INT32_MAX});
  cli.Option("-j", "--jobs", &jobs, "N", "images segmented in parallel (default 1)",
             IntegerRange{1, 256});
  cli.Option("", "--min-dice", &min_dice, "D",
             "exit 1 when the pooled pixel Dice is below D (acceptance gate)", RealRange{0, 1});
  cli.Epilog(
      "JSON keys: dice, iou {background, gland}, miou, object_f1, object_dice, images[].\n"
      "Example:\n  vigil seg eval --data ../shared/data/glas/Warwick_QU_Dataset --split testA "
      "--model models/seg/seg_fp32.vgl --html seg.html");
  if (auto code = cli.Parse(argc, argv)) return *code;
  std::vector<GlasSample> samples = ListGlasSplit(data, split);
  if (limit > 0 && static_cast<size_t>(limit) < samples.size()) samples.resize(limit);

  std::vector<std::unique_ptr<GlandSegmenter>> segmenters;
  for (int j = 0; j < jobs; ++j)
    segmenters.push_back(std::make_unique<GlandSegmenter>(model));
  std::vector<ImageResult> results(samples.size());
  ProgressBar progress("segmenting " + split, static_cast<int64_t>(samples.size()));
  std::mutex progress_mutex;
  int64_t done = 0;
  ForEachOnWorkers(static_cast<int>(samples.size()), jobs, [&](int worker, int i) {
    cv::Mat bgr = ReadColorImage(samples[i].image_path);
    cv::Mat labels = ReadInstanceMask(samples[i].mask_path, bgr.size());
    StageTimes times;
    cv::Mat mask = segmenters[worker]->Segment(bgr, &times);
    results[i] = {samples[i].name, ScoreSegmentation(mask, labels), times.infer_ms};
    std::lock_guard<std::mutex> lock(progress_mutex);
    progress.Update(++done);
  });
  progress.Finish();

  SegmentationScores total;
  nlohmann::json images = nlohmann::json::array();
  double infer_ms = 0;
  for (const ImageResult& r : results) {
    total.Add(r.scores);
    infer_ms += r.infer_ms;
    nlohmann::json j = ScoresJson(r.scores);
    j["name"] = r.name;
    images.push_back(j);
  }
  nlohmann::json report = EvidenceHeader(argc, argv);
  report.update(ScoresJson(total));
  report.update({{"model", model},
                 {"model_sha256", Sha256HexOfFile(model)},
                 {"quantized", segmenters[0]->quantized()},
                 {"split", split},
                 {"image_count", results.size()},
                 {"mean_infer_ms", results.empty() ? 0.0 : infer_ms / double(results.size())},
                 {"images", images}});
  std::fprintf(json ? stderr : stdout,
               "%s on %s (%zu images): pixel Dice %.4f, IoU background %.4f gland %.4f, mIoU %.4f, "
               "object F1 %.4f, object Dice %.4f\n",
               model.c_str(), split.c_str(), results.size(), total.Dice(), total.BackgroundIou(),
               total.GlandIou(), total.MeanIou(), total.ObjectF1(), total.ObjectDice());
  EmitJson(report, json, output);
  if (!html.empty()) WriteHtml(html, report, samples, results, *segmenters[0]);
  if (total.Dice() < min_dice) {
    std::fprintf(stderr, "vigil seg eval: pixel Dice %.4f is below --min-dice %.4f\n", total.Dice(),
                 min_dice);
    return 1;
  }
  return 0;
}

}  // namespace vigil::seg
