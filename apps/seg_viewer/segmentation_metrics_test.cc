// GlaS scores against hand-computed answers on small label images.
#include "apps/seg_viewer/segmentation_metrics.h"

#include <gtest/gtest.h>

namespace vigil::seg {
namespace {

cv::Mat Labels(int rows, int cols) {
  return cv::Mat::zeros(rows, cols, CV_32S);
}
cv::Mat Mask(int rows, int cols) {
  return cv::Mat::zeros(rows, cols, CV_8U);
}

TEST(SegmentationMetricsTest, PerfectPredictionScoresOne) {
  cv::Mat labels = Labels(10, 10), mask = Mask(10, 10);
  labels(cv::Rect(1, 1, 3, 3)) = 1;
  labels(cv::Rect(6, 6, 3, 3)) = 2;
  mask.setTo(255, labels > 0);
  SegmentationScores s = ScoreSegmentation(mask, labels);
  EXPECT_EQ(s.true_positive, 18);
  EXPECT_EQ(s.true_negative, 82);
  EXPECT_DOUBLE_EQ(s.Dice(), 1.0);
  EXPECT_DOUBLE_EQ(s.MeanIou(), 1.0);
  EXPECT_DOUBLE_EQ(s.ObjectF1(), 1.0);
  EXPECT_DOUBLE_EQ(s.ObjectDice(), 1.0);
}

// Truth: one 4x4 gland (16 px). Prediction: a 4x2 half of it (8 px) plus a spurious 2x2 (4 px).
//   pixels: TP 8, FP 4, FN 8, TN 100 - 20 = 80 -> Dice 16/28, IoU gland 8/20, background 80/92
//   objects: the half covers 8/16 >= 50% of its gland -> detected; the 2x2 -> spurious; F1 = 2/3
//   object Dice: truth side 2*8/(16+8) = 2/3 (weight 1); predicted side: half 2/3 (weight 8/12),
//   spurious 0 (weight 4/12) -> 4/9; mean (2/3 + 4/9) / 2 = 5/9
TEST(SegmentationMetricsTest, PartialPredictionIsHandComputed) {
  cv::Mat labels = Labels(10, 10), mask = Mask(10, 10);
  labels(cv::Rect(0, 0, 4, 4)) = 1;
  mask(cv::Rect(0, 0, 2, 4)) = 255;
  mask(cv::Rect(7, 7, 2, 2)) = 255;
  SegmentationScores s = ScoreSegmentation(mask, labels);
  EXPECT_EQ(s.true_positive, 8);
  EXPECT_EQ(s.false_positive, 4);
  EXPECT_EQ(s.false_negative, 8);
  EXPECT_EQ(s.true_negative, 80);
  EXPECT_DOUBLE_EQ(s.Dice(), 16.0 / 28.0);
  EXPECT_DOUBLE_EQ(s.GlandIou(), 8.0 / 20.0);
  EXPECT_DOUBLE_EQ(s.BackgroundIou(), 80.0 / 92.0);
  EXPECT_EQ(s.objects_detected, 1);
  EXPECT_EQ(s.objects_spurious, 1);
  EXPECT_EQ(s.objects_missed, 0);
  EXPECT_DOUBLE_EQ(s.ObjectF1(), 2.0 / 3.0);
  EXPECT_NEAR(s.ObjectDice(), 5.0 / 9.0, 1e-12);
}

// Two touching glands predicted as one merged blob: the blob covers all of gland 1 (its best
// match) -> detected; gland 2 is missed. F1 = 2*1 / (2 + 0 + 1).
TEST(SegmentationMetricsTest, MergedGlandsCountOneDetectionAndOneMiss) {
  cv::Mat labels = Labels(6, 10), mask = Mask(6, 10);
  labels(cv::Rect(0, 0, 6, 6)) = 1;
  labels(cv::Rect(6, 0, 4, 6)) = 2;
  mask.setTo(255);
  SegmentationScores s = ScoreSegmentation(mask, labels);
  EXPECT_EQ(s.objects_detected, 1);
  EXPECT_EQ(s.objects_missed, 1);
  EXPECT_EQ(s.objects_spurious, 0);
  EXPECT_DOUBLE_EQ(s.ObjectF1(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.Dice(), 1.0);
}

// Below half coverage a gland is missed and the small object is spurious.
TEST(SegmentationMetricsTest, UnderHalfCoverageIsAMiss) {
  cv::Mat labels = Labels(10, 10), mask = Mask(10, 10);
  labels(cv::Rect(0, 0, 4, 4)) = 1;
  mask(cv::Rect(0, 0, 1, 4)) = 255;  // 4 of 16
  SegmentationScores s = ScoreSegmentation(mask, labels);
  EXPECT_EQ(s.objects_detected, 0);
  EXPECT_EQ(s.objects_spurious, 1);
  EXPECT_EQ(s.objects_missed, 1);
  EXPECT_DOUBLE_EQ(s.ObjectF1(), 0.0);
}

TEST(SegmentationMetricsTest, PoolingSumsCounts) {
  cv::Mat labels = Labels(4, 4), empty = Mask(4, 4), full = Mask(4, 4);
  labels(cv::Rect(0, 0, 2, 2)) = 1;
  full.setTo(255, labels > 0);
  SegmentationScores a = ScoreSegmentation(full, labels), b = ScoreSegmentation(empty, labels);
  a.Add(b);
  EXPECT_EQ(a.true_positive, 4);
  EXPECT_EQ(a.false_negative, 4);
  EXPECT_DOUBLE_EQ(a.Dice(), 8.0 / 12.0);
  EXPECT_DOUBLE_EQ(a.ObjectF1(), 2.0 / 3.0);
}

TEST(SegmentationMetricsTest, EmptyTruthAndPredictionScoreOne) {
  SegmentationScores s = ScoreSegmentation(Mask(5, 5), Labels(5, 5));
  EXPECT_DOUBLE_EQ(s.Dice(), 1.0);
  EXPECT_DOUBLE_EQ(s.ObjectF1(), 1.0);
  EXPECT_DOUBLE_EQ(s.ObjectDice(), 1.0);
}

}  // namespace
}  // namespace vigil::seg
