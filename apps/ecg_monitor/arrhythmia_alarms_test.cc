#include "apps/ecg_monitor/arrhythmia_alarms.h"

#include <gtest/gtest.h>

namespace vigil::ecg {
namespace {

std::vector<Alarm> Feed(ArrhythmiaAlarms& alarms,
                        const std::vector<std::pair<AamiClass, double>>& beats) {
  std::vector<Alarm> fired;
  int64_t r = 0;
  for (const auto& [label, rr] : beats) {
    r += static_cast<int64_t>(rr * 360);
    alarms.OnBeat(r, label, rr, fired);
  }
  return fired;
}

TEST(ArrhythmiaAlarms, ThreeVBeatsMakeARunAndTwoDoNot) {
  ArrhythmiaAlarms a;
  auto fired = Feed(
      a, {{AamiClass::kN, 0.8}, {AamiClass::kV, 0.5}, {AamiClass::kV, 0.5}, {AamiClass::kN, 1.1}});
  EXPECT_TRUE(fired.empty());
  fired = Feed(
      a,
      {{AamiClass::kV, 0.45}, {AamiClass::kV, 0.45}, {AamiClass::kV, 0.45}, {AamiClass::kV, 0.45}});
  ASSERT_EQ(fired.size(), 1u);                          // once per run, not once per beat
  EXPECT_EQ(fired[0].kind, "ventricular tachycardia");  // 133 bpm
}

TEST(ArrhythmiaAlarms, RateAlarmsUseTheLastEightBeatsAndFireOnce) {
  ArrhythmiaAlarms a;
  std::vector<std::pair<AamiClass, double>> fast(12, {AamiClass::kN, 0.45});  // 133 bpm
  auto fired = Feed(a, fast);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].kind, "tachycardia");
  std::vector<std::pair<AamiClass, double>> slow(12, {AamiClass::kN, 1.6});  // 37.5 bpm
  fired = Feed(a, slow);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].kind, "bradycardia");
}

TEST(ArrhythmiaAlarms, PauseAndAsystole) {
  ArrhythmiaAlarms a;
  auto fired = Feed(a, {{AamiClass::kN, 0.8}, {AamiClass::kN, 0.8}, {AamiClass::kN, 2.7}});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].kind, "pause");
  fired.clear();
  a.OnSample(10000, 9000, fired);
  EXPECT_TRUE(fired.empty());  // 2.8 s since the last R
  a.OnSample(9000 + 4 * 360 + 1, 9000, fired);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].kind, "asystole");
  a.OnSample(9000 + 6 * 360, 9000, fired);
  EXPECT_EQ(fired.size(), 1u);  // not again until a beat comes
}

}  // namespace
}  // namespace vigil::ecg
