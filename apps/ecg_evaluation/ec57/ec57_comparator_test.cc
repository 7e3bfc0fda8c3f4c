// EC57 / bxb rules on hand-made annotation pairs whose answers are worked out by hand.
#include "apps/ecg_evaluation/ec57/ec57_comparator.h"

#include <gtest/gtest.h>

namespace vigil::ecg {
namespace {

constexpr int64_t kStart = 300 * 360;  // scoring starts at 5:00
constexpr int N = 0, S = 1, V = 2, F = 3, O = 5;

WfdbAnnotation Ref(int64_t t, char symbol) {
  WfdbAnnotation a;
  a.time = t;
  a.code = AnnotationCode(symbol);
  return a;
}

Ec57Options Options() {
  Ec57Options o;
  o.end_sample = kStart + 100 * 360;
  return o;
}

TEST(Ec57, PerfectAgreementWithinTheMatchWindow) {
  std::vector<WfdbAnnotation> ref;
  std::vector<TestBeat> test;
  for (int k = 0; k < 10; ++k) {
    ref.push_back(Ref(kStart + 100 + k * 300, 'N'));
    test.push_back({kStart + 100 + k * 300 + (k % 2 ? 54 : -54), AamiClass::kN});  // 150 ms exactly
  }
  const Ec57Counts c = CompareBeats(ref, test, Options());
  EXPECT_EQ(c.at(N, N), 10);
  const Ec57Stats s = ComputeStats(c);
  EXPECT_DOUBLE_EQ(*s.qrs_se, 100);
  EXPECT_DOUBLE_EQ(*s.qrs_ppv, 100);
  EXPECT_FALSE(s.veb_se.has_value());  // no V beats: undefined, not 0 or 100
  EXPECT_FALSE(s.veb_ppv.has_value());
}

TEST(Ec57, OneSampleOutsideTheWindowIsAMissAndAnExtraBeat) {
  const std::vector<WfdbAnnotation> ref = {Ref(kStart + 1000, 'N'), Ref(kStart + 2000, 'N')};
  const std::vector<TestBeat> test = {{kStart + 1055, AamiClass::kN},
                                      {kStart + 2000, AamiClass::kN}};
  const Ec57Counts c = CompareBeats(ref, test, Options());
  EXPECT_EQ(c.at(N, N), 1);
  EXPECT_EQ(c.at(N, O), 1);  // missed
  EXPECT_EQ(c.at(O, N), 1);  // extra
  EXPECT_DOUBLE_EQ(*ComputeStats(c).qrs_se, 50);
  EXPECT_DOUBLE_EQ(*ComputeStats(c).qrs_ppv, 50);
}

TEST(Ec57, TheNearerOfTwoTestBeatsIsMatched) {
  const std::vector<WfdbAnnotation> ref = {Ref(kStart + 1000, 'V')};
  const std::vector<TestBeat> test = {{kStart + 960, AamiClass::kN},
                                      {kStart + 1020, AamiClass::kV}};
  const Ec57Counts c = CompareBeats(ref, test, Options());
  EXPECT_EQ(c.at(V, V), 1);  // the beat 20 samples after wins over the one 40 before
  EXPECT_EQ(c.at(O, N), 1);
}

TEST(Ec57, BeatsInTheFirstFiveMinutesAreNotScored) {
  const std::vector<WfdbAnnotation> ref = {Ref(1000, 'V'), Ref(kStart - 500, 'N'),
                                           Ref(kStart + 500, 'N')};
  const std::vector<TestBeat> test = {
      {1000, AamiClass::kN}, {kStart - 100, AamiClass::kV}, {kStart + 500, AamiClass::kN}};
  const Ec57Counts c = CompareBeats(ref, test, Options());
  int64_t total = 0;
  for (const auto& row : c.counts)
    for (int64_t v : row)
      total += v;
  EXPECT_EQ(total, 1);
  EXPECT_EQ(c.at(N, N), 1);
}

TEST(Ec57, ClassStatisticsFollowBxbFormulas) {
  // Reference: 4 V, 2 S, 10 N, 1 F. Test: V->v,v,v,n; S->s,n; N->8 n, 1 v, 1 s; F->v; plus one
  // extra test beat called v.
  std::vector<WfdbAnnotation> ref;
  std::vector<TestBeat> test;
  int64_t t = kStart + 1000;
  auto add = [&](char r, AamiClass called) {
    ref.push_back(Ref(t, r));
    test.push_back({t + 3, called});
    t += 300;
  };
  for (AamiClass c : {AamiClass::kV, AamiClass::kV, AamiClass::kV, AamiClass::kN})
    add('V', c);
  add('A', AamiClass::kS);
  add('a', AamiClass::kN);
  for (int i = 0; i < 8; ++i)
    add('N', AamiClass::kN);
  add('L', AamiClass::kV);
  add('R', AamiClass::kS);
  add('F', AamiClass::kV);
  test.push_back({t + 150, AamiClass::kV});  // extra, no reference beat
  const Ec57Counts c = CompareBeats(ref, test, Options());
  EXPECT_EQ(c.at(V, V), 3);
  EXPECT_EQ(c.at(V, N), 1);
  EXPECT_EQ(c.at(S, S), 1);
  EXPECT_EQ(c.at(S, N), 1);
  EXPECT_EQ(c.at(N, V), 1);
  EXPECT_EQ(c.at(N, S), 1);
  EXPECT_EQ(c.at(F, V), 1);
  EXPECT_EQ(c.at(O, V), 1);
  const Ec57Stats s = ComputeStats(c);
  EXPECT_DOUBLE_EQ(*s.veb_se, 100.0 * 3 / 4);
  EXPECT_DOUBLE_EQ(*s.veb_ppv, 100.0 * 3 / (3 + 1 + 1));  // Nv and Ov count, Fv does not
  EXPECT_DOUBLE_EQ(*s.sveb_se, 50);
  EXPECT_DOUBLE_EQ(*s.sveb_ppv, 50);  // Ss / (Ss + Ns)
  // VEB FPR: (Nv + Sv + Ov) / (that + non-V reference beats not called v): 2 / (2 + 12 - 1).
  // Non-V reference rows N S F with test n s f q: N: 8 n + 1 s; S: 1 s + 1 n; F: 0 -> 11.
  EXPECT_DOUBLE_EQ(*s.veb_fpr, 100.0 * 2 / (2 + 11));
  EXPECT_DOUBLE_EQ(*s.qrs_se, 100);
  EXPECT_DOUBLE_EQ(*s.qrs_ppv, 100.0 * 17 / 18);
}

TEST(Ec57, TestBeatsDuringReferenceVentricularFlutterAreNotScored) {
  std::vector<WfdbAnnotation> ref = {Ref(kStart + 1000, 'N'), Ref(kStart + 2000, '['),
                                     Ref(kStart + 2300, '!'), Ref(kStart + 3000, ']'),
                                     Ref(kStart + 4000, 'N')};
  const std::vector<TestBeat> test = {{kStart + 1000, AamiClass::kN},
                                      {kStart + 2200, AamiClass::kV},
                                      {kStart + 2600, AamiClass::kV},
                                      {kStart + 4000, AamiClass::kN}};
  const Ec57Counts c = CompareBeats(ref, test, Options());
  EXPECT_EQ(c.at(N, N), 2);
  EXPECT_EQ(c.at(O, V), 0);
}

TEST(Ec57, EachTestBeatLearnsTheClassOfTheReferenceBeatItWasPairedWith) {
  // Unscored (before 5:00), paired V, extra, the nearer of two candidates, inside VF.
  const std::vector<WfdbAnnotation> ref = {Ref(1000, 'N'), Ref(kStart + 1000, 'V'),
                                           Ref(kStart + 3000, 'A'), Ref(kStart + 5000, '['),
                                           Ref(kStart + 5500, ']')};
  const std::vector<TestBeat> test = {
      {1000, AamiClass::kN},          {kStart + 1010, AamiClass::kN},
      {kStart + 2000, AamiClass::kN}, {kStart + 2960, AamiClass::kN},
      {kStart + 3020, AamiClass::kN}, {kStart + 5200, AamiClass::kN}};
  std::vector<int8_t> matched;
  const Ec57Counts c = CompareBeats(ref, test, Options(), nullptr, &matched);
  EXPECT_EQ(matched, (std::vector<int8_t>{-1, V, O, O, S, -1}));
  EXPECT_EQ(c.at(V, N), 1);
  EXPECT_EQ(c.at(S, N), 1);
  EXPECT_EQ(c.at(O, N), 2);
}

TEST(Ec57, ClassesFollowDeChazalsMapping) {
  for (char n : {'N', 'L', 'R', 'e', 'j'})
    EXPECT_EQ(AamiClassOfCode(AnnotationCode(n)), AamiClass::kN) << n;
  for (char s : {'A', 'a', 'J', 'S'})
    EXPECT_EQ(AamiClassOfCode(AnnotationCode(s)), AamiClass::kS) << s;
  for (char v : {'V', 'E'})
    EXPECT_EQ(AamiClassOfCode(AnnotationCode(v)), AamiClass::kV) << v;
  EXPECT_EQ(AamiClassOfCode(AnnotationCode('F')), AamiClass::kF);
  for (char q : {'/', 'f', 'Q'})
    EXPECT_EQ(AamiClassOfCode(AnnotationCode(q)), AamiClass::kQ) << q;
}

TEST(Ec57, AverageIsTheMeanOverRecordsWhereAStatisticIsDefined) {
  Ec57Stats a, b;
  a.veb_se = 80;
  b.veb_se = 100;
  a.sveb_se = 50;  // b has no S beats
  const Ec57Stats avg = AverageStats(std::vector<Ec57Stats>{a, b});
  EXPECT_DOUBLE_EQ(*avg.veb_se, 90);
  EXPECT_DOUBLE_EQ(*avg.sveb_se, 50);
  EXPECT_FALSE(avg.qrs_se.has_value());
}

}  // namespace
}  // namespace vigil::ecg
