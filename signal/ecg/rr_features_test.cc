#include "signal/ecg/rr_features.h"

#include <gtest/gtest.h>

namespace vigil::ecg {
namespace {

TEST(RrFeatures, HandComputedValuesForARegularRhythmWithOnePrematureBeat) {
  // R times (samples at 360 Hz): 1 s apart, then a beat 0.5 s early followed by 1.5 s.
  const int64_t r[] = {0, 360, 720, 1080, 1260, 1800};
  RrFeatures f;
  float out[kRrFeatures];
  f.Next(-1, r[0], r[1], out);  // first beat: pre = post = 1 s
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  EXPECT_FLOAT_EQ(out[1], 1.0f);
  EXPECT_FLOAT_EQ(out[8], 0.0f);  // no irregularity measurable yet
  f.Next(r[0], r[1], r[2], out);
  f.Next(r[1], r[2], r[3], out);
  f.Next(r[2], r[3], r[4], out);
  EXPECT_FLOAT_EQ(out[1], 0.5f);  // post of the beat before the premature one
  f.Next(r[3], r[4], r[5], out);  // the premature beat: pre 0.5, post 1.5
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], 1.5f);
  const double average = (1 + 1 + 1 + 1 + 0.5) / 5.0;    // pre of the 5 beats so far
  EXPECT_FLOAT_EQ(out[2], static_cast<float>(average));  // local = average while < 8 beats
  EXPECT_FLOAT_EQ(out[3], static_cast<float>(average));
  EXPECT_FLOAT_EQ(out[4], static_cast<float>(0.5 / average));
  EXPECT_FLOAT_EQ(out[5], static_cast<float>(1.5 / average));
  EXPECT_FLOAT_EQ(out[7], 3.0f);
  EXPECT_FLOAT_EQ(out[8], 0.0f);  // the 4 intervals before it were all 1 s
  f.Next(r[4], r[5], -1, out);    // last beat: post = pre, clamped intervals
  EXPECT_FLOAT_EQ(out[0], 1.5f);
  EXPECT_FLOAT_EQ(out[1], 1.5f);
  // Irregularity before it: |1-1|, |1-1|, |1-1|, |0.5-1| over 4 differences = 0.125 s.
  const double average6 = (1 + 1 + 1 + 1 + 0.5 + 1.5) / 6.0;
  EXPECT_FLOAT_EQ(out[8], static_cast<float>(0.125 / average6));
}

TEST(RrFeatures, IntervalsAreClampedToThreeSeconds) {
  RrFeatures f;
  float out[kRrFeatures];
  f.Next(-1, 0, 5 * 360, out);
  EXPECT_FLOAT_EQ(out[0], 3.0f);
  EXPECT_FLOAT_EQ(out[1], 3.0f);
}

TEST(RrFeatures, LocalMeanCoversTheLastEightBeatsAndAverageTheLast128) {
  RrFeatures f;
  float out[kRrFeatures];
  int64_t r = 0;
  for (int i = 0; i < 200; ++i) {  // 192 beats at 1 s, then 8 at 0.5 s
    const int64_t step = i < 192 ? 360 : 180;
    f.Next(i == 0 ? -1 : r - step, r, r + step, out);
    r += step;
  }
  EXPECT_FLOAT_EQ(out[2], 0.5f);
  EXPECT_FLOAT_EQ(out[3], static_cast<float>((120 * 1.0 + 8 * 0.5) / 128));
}

}  // namespace
}  // namespace vigil::ecg
