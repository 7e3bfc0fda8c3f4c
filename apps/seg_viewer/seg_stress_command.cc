// vigil seg stress: the failure-mode study. Every image of a split is degraded along the standard
// ladder (signal/image/degradation.h) and segmented with the quality gate off; the report gives the
// pooled Dice per degradation level, and the ROC of the focus measures for telling apart frames
// that lose more than --margin Dice from their clean version.
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "apps/seg_viewer/gate_roc.h"
#include "apps/seg_viewer/glas_dataset.h"
#include "apps/seg_viewer/gland_segmenter.h"
#include "apps/seg_viewer/seg_commands.h"
#include "apps/seg_viewer/seg_evidence.h"
#include "apps/seg_viewer/segmentation_metrics.h"
#include "apps/seg_viewer/worker_threads.h"
#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/digest.h"
#include "host/error.h"
#include "host/html_report.h"
#include "host/progress_bar.h"
#include "host/svg_chart.h"
#include "signal/image/degradation.h"
#include "signal/image/focus_measure.h"

namespace vigil::seg {
namespace {

using image::Degradation;
using image::DegradationKind;

struct Trial {  // one image at one degradation level
  int image = 0, level = 0;
  SegmentationScores scores;
  double laplacian = 0, tenengrad = 0;
};

nlohmann::json RocJson(const GateRoc& roc) {
  nlohmann::json points = nlohmann::json::array();
  for (const RocPoint& p : roc.points) points.push_back({p.threshold, p.false_positive_rate, p.true_positive_rate});
  return {{"auc", roc.auc}, {"bad_frames", roc.bad}, {"good_frames", roc.good},
          {"youden", {{"threshold", roc.youden.threshold}, {"fpr", roc.youden.false_positive_rate},
                      {"tpr", roc.youden.true_positive_rate}}},
          {"points_threshold_fpr_tpr", points}};
}

svg::Series RocSeries(const std::string& name, const GateRoc& roc) {
  svg::Series s;
  s.name = name;
  for (const RocPoint& p : roc.points) s.x.push_back(p.false_positive_rate), s.y.push_back(p.true_positive_rate);
  return s;
}

std::string DiceVsBlurChart(const std::vector<Degradation>& ladder, const std::vector<double>& dice) {
  svg::LineChart chart;
  chart.title = "Pixel Dice vs blur (pooled)", chart.x_label = "blur (px at 20x)", chart.y_label = "Dice";
  for (DegradationKind kind : {DegradationKind::kGaussianBlur, DegradationKind::kDefocusBlur}) {
    svg::Series s;
    s.name = std::string(image::DegradationKindName(kind)) + " (" + image::DegradationUnit(kind) + ")";
    s.markers = true;
    s.x.push_back(0), s.y.push_back(dice[0]);
    for (size_t l = 1; l < ladder.size(); ++l) {
      if (ladder[l].kind == kind) s.x.push_back(ladder[l].level), s.y.push_back(dice[l]);
    }
    chart.series.push_back(s);
  }
  chart.y_min = 0, chart.y_max = 1;
  return svg::Render(chart);
}

std::string RocChart(const GateRoc& laplacian, const GateRoc& tenengrad, const GateRoc& laplacian_blur) {
  svg::LineChart chart;
  chart.title = "Quality gate ROC: frames losing more than the Dice margin";
  chart.x_label = "false positive rate (good frames rejected)";
  chart.y_label = "true positive rate (bad frames rejected)";
  char name[64];
  std::snprintf(name, sizeof(name), "Laplacian variance, all (AUC %.3f)", laplacian.auc);
  chart.series.push_back(RocSeries(name, laplacian));
  std::snprintf(name, sizeof(name), "Tenengrad, all (AUC %.3f)", tenengrad.auc);
  chart.series.push_back(RocSeries(name, tenengrad));
  std::snprintf(name, sizeof(name), "Laplacian variance, blur only (AUC %.3f)", laplacian_blur.auc);
  chart.series.push_back(RocSeries(name, laplacian_blur));
  svg::Series chance;
  chance.name = "chance", chance.x = {0, 1}, chance.y = {0, 1}, chance.color = "#999", chance.dashed = true;
  chart.series.push_back(chance);
  chart.x_min = 0, chart.x_max = 1, chart.y_min = 0, chart.y_max = 1;
  return svg::Render(chart);
}

}  // namespace

int RunSegStressCommand(int argc, char** argv) {
  CommandLine cli("vigil seg stress", "Segment degraded copies of a GlaS split; Dice per level and the quality gate's ROC.");
  std::string data = DefaultGlasDir(), split = "testA", model = "models/seg/seg_int8.vgl", output, html, figures;
  bool json = false;
  int limit = 0, every = 1, jobs = 1;
  double margin = 0.05;
  cli.Option("", "--data", &data, "DIR", "folder of NAME_<n>.png images and NAME_<n>_anno.png masks");
  cli.Option("", "--split", &split, "NAME", "split prefix (default testA)");
  cli.Option("-m", "--model", &model, "MODEL.vgl", "the model (default models/seg/seg_int8.vgl)");
  cli.Option("", "--every", &every, "K", "use every K-th image of the split (default 1)");
  cli.Option("", "--limit", &limit, "N", "use at most N images");
  cli.Option("", "--margin", &margin, "D", "a frame is bad when it loses more than D Dice (default 0.05)");
  cli.Option("-j", "--jobs", &jobs, "N", "frames segmented in parallel (default 1)");
  cli.Flag("", "--json", &json, "print the report as JSON");
  cli.Option("-o", "--output", &output, "FILE", "also write the JSON report to FILE");
  cli.Option("", "--html", &html, "FILE", "write an HTML report with the curves");
  cli.Option("", "--figures", &figures, "PREFIX", "write PREFIX_dice_vs_blur.svg and PREFIX_gate_roc.svg");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (jobs < 1 || every < 1 || limit < 0) throw HostError("--jobs and --every must be >= 1, --limit >= 0");
  std::vector<GlasSample> all = ListGlasSplit(data, split), samples;
  for (size_t i = 0; i < all.size(); i += every) samples.push_back(all[i]);
  if (limit > 0 && static_cast<size_t>(limit) < samples.size()) samples.resize(limit);
  std::vector<Degradation> ladder = {{DegradationKind::kNone, 0}};
  for (const Degradation& d : image::StandardDegradationLadder()) ladder.push_back(d);

  std::vector<std::unique_ptr<GlandSegmenter>> segmenters;
  for (int j = 0; j < jobs; ++j) segmenters.push_back(std::make_unique<GlandSegmenter>(model));
  const int trial_count = static_cast<int>(samples.size() * ladder.size());
  std::vector<Trial> trials(trial_count);
  ProgressBar progress("stress " + split, trial_count);
  std::mutex progress_mutex;
  int64_t done = 0;
  ForEachOnWorkers(trial_count, jobs, [&](int worker, int t) {
    Trial& trial = trials[t];
    trial.image = t / static_cast<int>(ladder.size());
    trial.level = t % static_cast<int>(ladder.size());
    cv::Mat bgr = ReadColorImage(samples[trial.image].image_path);
    cv::Mat labels = ReadInstanceMask(samples[trial.image].mask_path, bgr.size());
    cv::Mat degraded = image::Degrade(bgr, ladder[trial.level], 1000u * trial.image + trial.level);
    GlandSegmenter& segmenter = *segmenters[worker];
    cv::Mat grey = image::FocusAnalysisImage(degraded, segmenter.ModelViewSize(degraded.size()));
    trial.laplacian = image::LaplacianVariance(grey);
    trial.tenengrad = image::Tenengrad(grey);
    trial.scores = ScoreSegmentation(segmenter.Segment(degraded), labels);
    std::lock_guard<std::mutex> lock(progress_mutex);
    progress.Update(++done);
  });
  progress.Finish();

  std::vector<SegmentationScores> per_level(ladder.size());
  for (const Trial& t : trials) per_level[t.level].Add(t.scores);
  std::vector<double> level_dice;
  nlohmann::json levels = nlohmann::json::array();
  FILE* text = json ? stderr : stdout;
  std::fprintf(text, "%-32s %8s %8s\n", "degradation", "Dice", "obj F1");
  for (size_t l = 0; l < ladder.size(); ++l) {
    level_dice.push_back(per_level[l].Dice());
    levels.push_back({{"kind", image::DegradationKindName(ladder[l].kind)}, {"level", ladder[l].level},
                      {"unit", image::DegradationUnit(ladder[l].kind)}, {"dice", per_level[l].Dice()},
                      {"object_f1", per_level[l].ObjectF1()}, {"object_dice", per_level[l].ObjectDice()}});
    std::fprintf(text, "%-32s %8.4f %8.4f\n", image::DegradationLabel(ladder[l]).c_str(), per_level[l].Dice(),
                 per_level[l].ObjectF1());
  }
  // Gate samples: every degraded frame, bad when it lost more than the margin against its clean self.
  std::vector<GateSample> laplacian, tenengrad, laplacian_blur;
  nlohmann::json frames = nlohmann::json::array();
  for (const Trial& t : trials) {
    const double clean = trials[t.image * ladder.size()].scores.Dice();
    if (t.level == 0) continue;
    const bool bad = clean - t.scores.Dice() > margin;
    laplacian.push_back({t.laplacian, bad});
    tenengrad.push_back({t.tenengrad, bad});
    const DegradationKind kind = ladder[t.level].kind;
    if (kind == DegradationKind::kGaussianBlur || kind == DegradationKind::kDefocusBlur) laplacian_blur.push_back({t.laplacian, bad});
    frames.push_back({{"image", samples[t.image].name}, {"degradation", image::DegradationLabel(ladder[t.level])},
                      {"dice", t.scores.Dice()}, {"clean_dice", clean}, {"laplacian_variance", t.laplacian},
                      {"tenengrad", t.tenengrad}});
  }
  const GateRoc roc_laplacian = ComputeGateRoc(laplacian), roc_tenengrad = ComputeGateRoc(tenengrad),
                roc_blur = ComputeGateRoc(laplacian_blur);
  std::fprintf(text, "gate AUC (frames losing > %.2f Dice): Laplacian variance %.3f, Tenengrad %.3f, "
               "Laplacian variance on blur only %.3f; Youden threshold (blur) %.1f: TPR %.3f FPR %.3f\n",
               margin, roc_laplacian.auc, roc_tenengrad.auc, roc_blur.auc, roc_blur.youden.threshold,
               roc_blur.youden.true_positive_rate, roc_blur.youden.false_positive_rate);

  nlohmann::json report = EvidenceHeader(argc, argv);
  report.update({{"model", model}, {"model_sha256", Sha256HexOfFile(model)}, {"split", split},
                 {"images", samples.size()}, {"margin", margin},
                 {"levels", levels},
                 {"gate", {{"laplacian_variance", RocJson(roc_laplacian)}, {"tenengrad", RocJson(roc_tenengrad)},
                           {"laplacian_variance_blur_only", RocJson(roc_blur)}}},
                 {"frames", frames}});
  EmitJson(report, json, output);
  const std::string blur_svg = DiceVsBlurChart(ladder, level_dice);
  const std::string roc_svg = RocChart(roc_laplacian, roc_tenengrad, roc_blur);
  if (!figures.empty()) {
    WriteFileAtomic(figures + "_dice_vs_blur.svg", blur_svg);
    WriteFileAtomic(figures + "_gate_roc.svg", roc_svg);
  }
  if (!html.empty()) {
    HtmlReport page("Segmentation stress: " + split);
    page.KeyValues({{"model", model}, {"images", std::to_string(samples.size())}, {"command", report["command"]}});
    page.Figure(blur_svg, "Pooled pixel Dice against blur");
    page.Figure(roc_svg, "Quality gate ROC");
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : levels) {
      rows.push_back({l["kind"], std::to_string(l["level"].get<double>()), std::to_string(l["dice"].get<double>()),
                      std::to_string(l["object_f1"].get<double>())});
    }
    page.Table({"degradation", "level", "Dice", "object F1"}, rows, "Dice per level");
    page.Write(html);
  }
  return 0;
}

}  // namespace vigil::seg
