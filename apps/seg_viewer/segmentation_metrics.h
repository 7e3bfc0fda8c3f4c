// Segmentation scores of the GlaS challenge (Sirinukunwattana et al., Medical Image Analysis 2017):
// pixel Dice and IoU per class (background, gland) with their mean, and the object-level F1 and
// object Dice, per image and pooled over a split.
//
// Objects: ground-truth glands are the instance labels (> 0); predicted glands are the 8-connected
// components of the predicted mask. A predicted object is a true positive when it covers at least
// half of the ground-truth gland it overlaps most; each gland is detected at most once (Section 2.4
// of the paper). Object Dice averages, weighted by area, the Dice of every gland with the predicted
// object overlapping it most, and of every predicted object with the gland overlapping it most.
//
// Pooling over a split: pixel counts and object counts (TP, FP, FN) are summed; the two
// area-weighted sums of object Dice are summed with their areas, so the split's object Dice weights
// every gland of every image by its area.
#pragma once

#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

namespace vigil::seg {

struct SegmentationScores {
  // Pixels: gland predicted and true, predicted only, missed, background both.
  int64_t true_positive = 0, false_positive = 0, false_negative = 0, true_negative = 0;
  // Objects.
  int64_t objects_detected = 0, objects_spurious = 0, objects_missed = 0;
  double truth_dice_sum = 0, truth_area = 0;          // sum of |G| * Dice(G, S*(G)), sum of |G|
  double predicted_dice_sum = 0, predicted_area = 0;  // sum of |S| * Dice(G*(S), S), sum of |S|

  void Add(const SegmentationScores& other);

  double Dice() const;           // 2 TP / (2 TP + FP + FN); 1 when both masks are empty
  double GlandIou() const;       // TP / (TP + FP + FN)
  double BackgroundIou() const;  // TN / (TN + FP + FN)
  double MeanIou() const { return (GlandIou() + BackgroundIou()) / 2; }
  double ObjectF1() const;  // 2 TP / (2 TP + FP + FN) over objects
  double ObjectDice() const;
};

// Scores one image: `predicted` (CV_8U, > 0 = gland) against `labels` (CV_32S instance labels).
SegmentationScores ScoreSegmentation(const cv::Mat& predicted, const cv::Mat& labels);

}  // namespace vigil::seg
