#include "apps/seg_viewer/segmentation_metrics.h"

#include <unordered_map>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "host/error.h"

namespace vigil::seg {
namespace {

double Ratio(double numerator, double denominator, double if_empty) {
  return denominator > 0 ? numerator / denominator : if_empty;
}

// Pixel overlaps of predicted components s > 0 with truth labels g > 0, kept sparse: a mask with
// thousands of labels and components must not need a dense table (the fuzzer feeds such masks).
using OverlapMap = std::unordered_map<uint64_t, int64_t>;
uint64_t Key(int32_t s, int32_t g) {
  return (uint64_t(uint32_t(s)) << 32) | uint32_t(g);
}

// The partner with the most overlap for every object (0: none); ties go to the lower number.
void BestPartners(const OverlapMap& overlaps, std::vector<int32_t>* best_truth,
                  std::vector<int32_t>* best_predicted) {
  std::vector<int64_t> truth_count(best_truth->size(), 0),
      predicted_count(best_predicted->size(), 0);
  for (const auto& [key, n] : overlaps) {
    const int32_t s = int32_t(key >> 32), g = int32_t(key & 0xffffffffu);
    if (n > truth_count[s] || (n == truth_count[s] && g < (*best_truth)[s]))
      (*best_truth)[s] = g, truth_count[s] = n;
    if (n > predicted_count[g] || (n == predicted_count[g] && s < (*best_predicted)[g])) {
      (*best_predicted)[g] = s, predicted_count[g] = n;
    }
  }
}

}  // namespace

void SegmentationScores::Add(const SegmentationScores& o) {
  true_positive += o.true_positive;
  false_positive += o.false_positive;
  false_negative += o.false_negative;
  true_negative += o.true_negative;
  objects_detected += o.objects_detected;
  objects_spurious += o.objects_spurious;
  objects_missed += o.objects_missed;
  truth_dice_sum += o.truth_dice_sum;
  truth_area += o.truth_area;
  predicted_dice_sum += o.predicted_dice_sum;
  predicted_area += o.predicted_area;
}

double SegmentationScores::Dice() const {
  const double tp = double(true_positive), fp = double(false_positive), fn = double(false_negative);
  return Ratio(2.0 * tp, 2.0 * tp + fp + fn, 1.0);
}
double SegmentationScores::GlandIou() const {
  return Ratio(double(true_positive), double(true_positive + false_positive + false_negative), 1.0);
}
double SegmentationScores::BackgroundIou() const {
  return Ratio(double(true_negative), double(true_negative + false_positive + false_negative), 1.0);
}
double SegmentationScores::ObjectF1() const {
  const double tp = double(objects_detected), fp = double(objects_spurious),
               fn = double(objects_missed);
  return Ratio(2.0 * tp, 2.0 * tp + fp + fn, 1.0);
}
double SegmentationScores::ObjectDice() const {
  if (truth_area == 0 && predicted_area == 0) return 1.0;
  return 0.5 *
         (Ratio(truth_dice_sum, truth_area, 0.0) + Ratio(predicted_dice_sum, predicted_area, 0.0));
}

SegmentationScores ScoreSegmentation(const cv::Mat& predicted, const cv::Mat& labels) {
  if (predicted.type() != CV_8U || labels.type() != CV_32S || predicted.size() != labels.size()) {
    throw HostError("scoring: expected an 8-bit mask and 32-bit labels of the same size");
  }
  double min_label = 0, max_label = 0;
  cv::minMaxLoc(labels, &min_label, &max_label);
  if (min_label < 0) throw HostError("scoring: negative instance label");
  SegmentationScores r;
  cv::Mat components;
  const int predicted_count = cv::connectedComponents(predicted > 0, components, 8, CV_32S) - 1;
  std::vector<int64_t> truth_area(size_t(max_label) + 1, 0),
      predicted_area(size_t(predicted_count) + 1, 0);
  OverlapMap overlaps;
  for (int y = 0; y < labels.rows; ++y) {
    const int32_t* s = components.ptr<int32_t>(y);
    const int32_t* g = labels.ptr<int32_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      ++truth_area[g[x]], ++predicted_area[s[x]];
      if (s[x] && g[x]) ++overlaps[Key(s[x], g[x])];
      (s[x] ? (g[x] ? r.true_positive : r.false_positive)
            : (g[x] ? r.false_negative : r.true_negative)) += 1;
    }
  }
  std::vector<int32_t> best_truth(predicted_area.size(), 0), best_predicted(truth_area.size(), 0);
  BestPartners(overlaps, &best_truth, &best_predicted);
  auto overlap = [&](int32_t s, int32_t g) { return double(overlaps[Key(s, g)]); };
  auto dice = [&](int32_t s, int32_t g) {
    return 2.0 * overlap(s, g) / double(predicted_area[s] + truth_area[g]);
  };
  std::vector<bool> detected(truth_area.size(), false);
  for (int32_t s = 1; s <= predicted_count; ++s) {
    const int32_t g = best_truth[s];  // the gland this object overlaps most (0: none)
    const bool hit = g && !detected[g] && 2 * overlap(s, g) >= double(truth_area[g]);
    if (hit) detected[g] = true;
    ++(hit ? r.objects_detected : r.objects_spurious);
    r.predicted_area += double(predicted_area[s]);
    if (g) r.predicted_dice_sum += double(predicted_area[s]) * dice(s, g);
  }
  for (size_t g = 1; g < truth_area.size(); ++g) {
    if (truth_area[g] == 0) continue;  // a label number the image does not use
    if (!detected[g]) ++r.objects_missed;
    r.truth_area += double(truth_area[g]);
    if (best_predicted[g])
      r.truth_dice_sum += double(truth_area[g]) * dice(best_predicted[g], int32_t(g));
  }
  return r;
}

}  // namespace vigil::seg
