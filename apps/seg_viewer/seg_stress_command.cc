// vigil seg stress: the failure-mode study. Every image of a split is degraded along the standard
// ladder (signal/image/degradation.h) and segmented with the quality gate off; the report gives the
// pooled Dice per degradation level, and the ROC of the focus measures for telling apart frames
// that lose more than --margin Dice from their clean version.
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "apps/seg_viewer/gate_roc.h"
#include "apps/seg_viewer/gland_segmenter.h"
#include "apps/seg_viewer/glas_dataset.h"
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
  for (const RocPoint& p : roc.points)
    points.push_back({p.threshold, p.false_positive_rate, p.true_positive_rate});
  return {{"auc", roc.auc},
          {"bad_frames", roc.bad},
          {"good_frames", roc.good},
          {"youden",
           {{"threshold", roc.youden.threshold},
            {"fpr", roc.youden.false_positive_rate},
            {"tpr", roc.youden.true_positive_rate}}},
          {"points_threshold_fpr_tpr", points}};
}

svg::Series RocSeries(const std::string& name, const GateRoc& roc) {
  svg::Series s;
  s.name = name;
  for (const RocPoint& p : roc.points)
    s.x.push_back(p.false_positive_rate), s.y.push_back(p.true_positive_rate);
  return s;
}

std::string DiceVsBlurChart(const std::vector<Degradation>& ladder,
                            const std::vector<double>& dice) {
  svg::LineChart chart;
  chart.title = "Pixel Dice vs blur (pooled)", chart.x_label = "blur (px at 20x)",
  chart.y_label = "Dice";
  for (DegradationKind kind : {DegradationKind::kGaussianBlur, DegradationKind::kDefocusBlur}) {
    svg::Series s;
    s.name =
        std::string(image::DegradationKindName(kind)) + " (" + image::DegradationUnit(kind) + ")";
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

std::string RocChart(const GateRoc& laplacian, const GateRoc& tenengrad,
                     const GateRoc& laplacian_blur) {
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
  chance.name = "chance", chance.x = {0, 1}, chance.y = {0, 1}, chance.color = "#999",
  chance.dashed = true;
  chart.series.push_back(chance);
  chart.x_min = 0, chart.x_max = 1, chart.y_min = 0, chart.y_max = 1;
  return svg::Render(chart);
}

// Every image at every level of the ladder, on `jobs` threads with a segmenter each.
std::vector<Trial> RunTrials(const std::vector<GlasSample>& samples,
                             const std::vector<Degradation>& ladder, const std::string& model,
                             int jobs, const std::string& split) {
  std::vector<std::unique_ptr<GlandSegmenter>> segmenters;
  for (int j = 0; j < jobs; ++j)
    segmenters.push_back(std::make_unique<GlandSegmenter>(model));
  const int levels = static_cast<int>(ladder.size());
  const int trial_count = static_cast<int>(samples.size()) * levels;
  std::vector<Trial> trials(trial_count);
  ProgressBar progress("stress " + split, trial_count);
  std::mutex progress_mutex;
  int64_t done = 0;
  ForEachOnWorkers(trial_count, jobs, [&](int worker, int t) {
    Trial& trial = trials[t];
    trial.image = t / levels;
    trial.level = t % levels;
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
  return trials;
}

// Pooled scores per level, printed as a table and returned as JSON; the Dice per level too.
nlohmann::json LevelsReport(const std::vector<Degradation>& ladder,
                            const std::vector<Trial>& trials, FILE* text,
                            std::vector<double>* level_dice) {
  std::vector<SegmentationScores> per_level(ladder.size());
  for (const Trial& t : trials)
    per_level[t.level].Add(t.scores);
  nlohmann::json levels = nlohmann::json::array();
  std::fprintf(text, "%-32s %8s %8s\n", "degradation", "Dice", "obj F1");
  for (size_t l = 0; l < ladder.size(); ++l) {
    const SegmentationScores& s = per_level[l];
    level_dice->push_back(s.Dice());
    levels.push_back({{"kind", image::DegradationKindName(ladder[l].kind)},
                      {"level", ladder[l].level},
                      {"unit", image::DegradationUnit(ladder[l].kind)},
                      {"dice", s.Dice()},
                      {"object_f1", s.ObjectF1()},
                      {"object_dice", s.ObjectDice()}});
    std::fprintf(text, "%-32s %8.4f %8.4f\n", image::DegradationLabel(ladder[l]).c_str(), s.Dice(),
                 s.ObjectF1());
  }
  return levels;
}

struct GateAnalysis {
  GateRoc laplacian, tenengrad, laplacian_blur;
  nlohmann::json frames = nlohmann::json::array();
};

// Every degraded frame is a gate sample, bad when it lost more than `margin` Dice against the
// same image undegraded (level 0).
GateAnalysis AnalyseGate(const std::vector<GlasSample>& samples,
                         const std::vector<Degradation>& ladder, const std::vector<Trial>& trials,
                         double margin) {
  std::vector<GateSample> laplacian, tenengrad, laplacian_blur;
  GateAnalysis gate;
  for (const Trial& t : trials) {
    if (t.level == 0) continue;
    const double clean = trials[t.image * ladder.size()].scores.Dice();
    const bool bad = clean - t.scores.Dice() > margin;
    laplacian.push_back({t.laplacian, bad});
    tenengrad.push_back({t.tenengrad, bad});
    const DegradationKind kind = ladder[t.level].kind;
    if (kind == DegradationKind::kGaussianBlur || kind == DegradationKind::kDefocusBlur) {
      laplacian_blur.push_back({t.laplacian, bad});
    }
    gate.frames.push_back({{"image", samples[t.image].name},
                           {"degradation", image::DegradationLabel(ladder[t.level])},
                           {"dice", t.scores.Dice()},
                           {"clean_dice", clean},
                           {"laplacian_variance", t.laplacian},
                           {"tenengrad", t.tenengrad}});
  }
  gate.laplacian = ComputeGateRoc(laplacian);
  gate.tenengrad = ComputeGateRoc(tenengrad);
  gate.laplacian_blur = ComputeGateRoc(laplacian_blur);
  return gate;
}

void WriteStressHtml(const std::string& path, const nlohmann::json& report,
                     const std::string& blur_svg, const std::string& roc_svg) {
  HtmlReport page("Segmentation stress: " + report["split"].get<std::string>());
  page.KeyValues({{"model", report["model"]},
                  {"images", std::to_string(report["images"].get<size_t>())},
                  {"command", report["command"]}});
  page.Figure(blur_svg, "Pooled pixel Dice against blur");
  page.Figure(roc_svg, "Quality gate ROC");
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : report["levels"]) {
    rows.push_back({l["kind"], std::to_string(l["level"].get<double>()),
                    std::to_string(l["dice"].get<double>()),
                    std::to_string(l["object_f1"].get<double>())});
  }
  page.Table({"degradation", "level", "Dice", "object F1"}, rows, "Dice per level");
  page.Write(path);
}

}  // namespace

int RunSegStressCommand(int argc, char** argv) {
  CommandLine cli(
      "vigil seg stress",
      "Segment degraded copies of a GlaS split; Dice per level and the quality gate's ROC.");
  std::string data = DefaultGlasDir(), split = "testA", model = "models/seg/seg_int8.vgl", output,
              html, figures;
  bool json = false;
  int limit = 0, every = 1, jobs = 1;
  double margin = 0.05;
  cli.Option("", "--data", &data, "DIR",
             "folder of NAME_<n>.png images and NAME_<n>_anno.png masks");
  cli.Option("", "--split", &split, "NAME", "split prefix (default testA)");
  cli.Option("-m", "--model", &model, "MODEL.vgl", "the model (default models/seg/seg_int8.vgl)");
  cli.Option("", "--every", &every, "K", "use every K-th image of the split (default 1)",
             IntegerRange{1, INT32_MAX});
  cli.Option("", "--limit", &limit, "N", "use at most N images (0: all)",
             IntegerRange{0, INT32_MAX});
  cli.Option("", "--margin", &margin, "D",
             "a frame is bad when it loses more than D Dice (default 0.05)", RealRange{0, 1});
  cli.Option("-j", "--jobs", &jobs, "N", "frames segmented in parallel (default 1)",
             IntegerRange{1, 256});
  cli.Flag("", "--json", &json, "print the report as JSON");
  cli.Option("-o", "--output", &output, "FILE", "also write the JSON report to FILE");
  cli.Option("", "--html", &html, "FILE", "write an HTML report with the curves");
  cli.Option("", "--figures", &figures, "PREFIX",
             "write PREFIX_dice_vs_blur.svg and PREFIX_gate_roc.svg");
  if (auto code = cli.Parse(argc, argv)) return *code;
  std::vector<GlasSample> all = ListGlasSplit(data, split), samples;
  for (size_t i = 0; i < all.size(); i += every)
    samples.push_back(all[i]);
  if (limit > 0 && static_cast<size_t>(limit) < samples.size()) samples.resize(limit);
  std::vector<Degradation> ladder = {{DegradationKind::kNone, 0}};
  for (const Degradation& d : image::StandardDegradationLadder())
    ladder.push_back(d);

  const std::vector<Trial> trials = RunTrials(samples, ladder, model, jobs, split);
  FILE* text = json ? stderr : stdout;
  std::vector<double> level_dice;
  nlohmann::json report = EvidenceHeader(argc, argv);
  report.update({{"model", model},
                 {"model_sha256", Sha256HexOfFile(model)},
                 {"split", split},
                 {"images", samples.size()},
                 {"margin", margin},
                 {"levels", LevelsReport(ladder, trials, text, &level_dice)}});
  const GateAnalysis gate = AnalyseGate(samples, ladder, trials, margin);
  std::fprintf(
      text,
      "gate AUC (frames losing > %.2f Dice): Laplacian variance %.3f, Tenengrad %.3f, "
      "Laplacian variance on blur only %.3f; Youden threshold (blur) %.1f: TPR %.3f FPR %.3f\n",
      margin, gate.laplacian.auc, gate.tenengrad.auc, gate.laplacian_blur.auc,
      gate.laplacian_blur.youden.threshold, gate.laplacian_blur.youden.true_positive_rate,
      gate.laplacian_blur.youden.false_positive_rate);
  report["gate"] = {{"laplacian_variance", RocJson(gate.laplacian)},
                    {"tenengrad", RocJson(gate.tenengrad)},
                    {"laplacian_variance_blur_only", RocJson(gate.laplacian_blur)}};
  report["frames"] = gate.frames;
  EmitJson(report, json, output);
  const std::string blur_svg = DiceVsBlurChart(ladder, level_dice);
  const std::string roc_svg = RocChart(gate.laplacian, gate.tenengrad, gate.laplacian_blur);
  if (!figures.empty()) {
    WriteFileAtomic(figures + "_dice_vs_blur.svg", blur_svg);
    WriteFileAtomic(figures + "_gate_roc.svg", roc_svg);
  }
  if (!html.empty()) WriteStressHtml(html, report, blur_svg, roc_svg);
  return 0;
}

}  // namespace vigil::seg
