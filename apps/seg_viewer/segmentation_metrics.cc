#include "apps/seg_viewer/segmentation_metrics.h"

#include <vector>

#include <opencv2/imgproc.hpp>

#include "host/error.h"

namespace vigil::seg {
namespace {

double Ratio(double numerator, double denominator, double if_empty) {
  return denominator > 0 ? numerator / denominator : if_empty;
}

// Overlap counts between predicted components (rows, 0 = background) and truth labels (columns).
struct Overlaps {
  int predicted_count, truth_count;
  std::vector<int64_t> counts;  // (predicted_count + 1) x (truth_count + 1)
  int64_t at(int s, int g) const { return counts[static_cast<size_t>(s) * (truth_count + 1) + g]; }
  int64_t PredictedArea(int s) const {
    int64_t a = 0;
    for (int g = 0; g <= truth_count; ++g) a += at(s, g);
    return a;
  }
  int64_t TruthArea(int g) const {
    int64_t a = 0;
    for (int s = 0; s <= predicted_count; ++s) a += at(s, g);
    return a;
  }
};

Overlaps CountOverlaps(const cv::Mat& components, int predicted_count, const cv::Mat& labels) {
  double max_label = 0;
  cv::minMaxLoc(labels, nullptr, &max_label);
  Overlaps o{predicted_count, static_cast<int>(max_label), {}};
  o.counts.assign(static_cast<size_t>(o.predicted_count + 1) * (o.truth_count + 1), 0);
  for (int y = 0; y < labels.rows; ++y) {
    const int32_t* s = components.ptr<int32_t>(y);
    const int32_t* g = labels.ptr<int32_t>(y);
    for (int x = 0; x < labels.cols; ++x) ++o.counts[static_cast<size_t>(s[x]) * (o.truth_count + 1) + g[x]];
  }
  return o;
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
  const double tp = double(objects_detected), fp = double(objects_spurious), fn = double(objects_missed);
  return Ratio(2.0 * tp, 2.0 * tp + fp + fn, 1.0);
}
double SegmentationScores::ObjectDice() const {
  if (truth_area == 0 && predicted_area == 0) return 1.0;
  return 0.5 * (Ratio(truth_dice_sum, truth_area, 0.0) + Ratio(predicted_dice_sum, predicted_area, 0.0));
}

SegmentationScores ScoreSegmentation(const cv::Mat& predicted, const cv::Mat& labels) {
  if (predicted.type() != CV_8U || labels.type() != CV_32S || predicted.size() != labels.size()) {
    throw HostError("scoring: expected an 8-bit mask and 32-bit labels of the same size");
  }
  SegmentationScores r;
  cv::Mat components;
  const int predicted_count = cv::connectedComponents(predicted > 0, components, 8, CV_32S) - 1;
  const Overlaps o = CountOverlaps(components, predicted_count, labels);
  for (int s = 0; s <= o.predicted_count; ++s) {
    for (int g = 0; g <= o.truth_count; ++g) {
      const int64_t n = o.at(s, g);
      (s > 0 ? (g > 0 ? r.true_positive : r.false_positive) : (g > 0 ? r.false_negative : r.true_negative)) += n;
    }
  }
  std::vector<int64_t> truth_area(o.truth_count + 1), predicted_area(o.predicted_count + 1);
  for (int g = 1; g <= o.truth_count; ++g) truth_area[g] = o.TruthArea(g);
  for (int s = 1; s <= o.predicted_count; ++s) predicted_area[s] = o.PredictedArea(s);
  auto dice = [&](int s, int g) {
    return 2.0 * double(o.at(s, g)) / double(predicted_area[s] + truth_area[g]);
  };
  std::vector<bool> detected(o.truth_count + 1, false);
  for (int s = 1; s <= o.predicted_count; ++s) {
    int best = 0;  // the gland this object overlaps most (0: none)
    for (int g = 1; g <= o.truth_count; ++g) {
      if (o.at(s, g) > (best ? o.at(s, best) : 0)) best = g;
    }
    const bool hit = best && !detected[best] && 2 * o.at(s, best) >= truth_area[best];
    if (hit) detected[best] = true;
    ++(hit ? r.objects_detected : r.objects_spurious);
    r.predicted_area += double(predicted_area[s]);
    if (best) r.predicted_dice_sum += double(predicted_area[s]) * dice(s, best);
  }
  for (int g = 1; g <= o.truth_count; ++g) {
    if (truth_area[g] == 0) continue;  // a label number the image does not use
    if (!detected[g]) ++r.objects_missed;
    int best = 0;
    for (int s = 1; s <= o.predicted_count; ++s) {
      if (o.at(s, g) > (best ? o.at(best, g) : 0)) best = s;
    }
    r.truth_area += double(truth_area[g]);
    if (best) r.truth_dice_sum += double(truth_area[g]) * dice(best, g);
  }
  return r;
}

}  // namespace vigil::seg
