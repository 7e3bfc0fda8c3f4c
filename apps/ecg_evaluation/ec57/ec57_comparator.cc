#include "apps/ecg_evaluation/ec57/ec57_comparator.h"

#include <cmath>
#include <limits>

namespace vigil::ecg {
namespace {

constexpr int kO = 5;           // "no beat" row / column
constexpr int kUncounted = -1;  // a test beat inside reference VF
constexpr int64_t kHuge = std::numeric_limits<int64_t>::max() / 4;

// Reference beats in time order with their classes; beats inside VF episodes are dropped and the
// episodes kept, as bxb's getref() does.
struct ReferenceStream {
  std::vector<std::pair<int64_t, int>> beats;
  std::vector<std::pair<int64_t, int64_t>> vf;  // [on, off]

  explicit ReferenceStream(std::span<const WfdbAnnotation> annotations) {
    for (size_t i = 0; i < annotations.size(); ++i) {
      const WfdbAnnotation& a = annotations[i];
      if (a.code == annotation_code::kVfOn) {
        int64_t off = kHuge;
        while (++i < annotations.size()) {
          if (annotations[i].code == annotation_code::kVfOff) {
            off = annotations[i].time;
            break;
          }
        }
        vf.emplace_back(a.time, off);
      } else if (IsQrsCode(a.code)) {
        beats.emplace_back(a.time, static_cast<int>(AamiClassOfCode(a.code)));
      }
    }
  }
  bool InVf(int64_t t) const {
    for (const auto& [on, off] : vf) {
      if (on <= t && t <= off) return true;
    }
    return false;
  }
};

// A cursor over a beat list with bxb's current (T, A) and next (T', A') annotation.
struct Cursor {
  std::span<const std::pair<int64_t, int>> beats;
  size_t next = 0;
  int64_t time = 0, next_time = 0;
  int label = kUncounted, next_label = kUncounted;  // bxb's A = a = 0: "no annotation yet"
  size_t index = 0, next_index = 0;                 // positions of (T, A) and (T', A') in beats

  void Advance() {
    time = next_time;
    label = next_label;
    index = next_index;
    if (next < beats.size()) {
      next_time = beats[next].first;
      next_label = beats[next].second;
      next_index = next;
      ++next;
    } else {
      next_time = kHuge;
      next_label = kO;
      next_index = beats.size();
    }
  }
};

}  // namespace

AamiClass AamiClassOfCode(uint8_t code) {
  switch (AnnotationSymbol(code)) {
    case 'N':
    case 'L':
    case 'R':
    case 'e':
    case 'j':
    case 'B': return AamiClass::kN;
    case 'A':
    case 'a':
    case 'J':
    case 'S': return AamiClass::kS;
    case 'V':
    case 'E': return AamiClass::kV;
    case 'F': return AamiClass::kF;
    default: return AamiClass::kQ;  // / f Q and anything else a beat code may be
  }
}

Ec57Counts& Ec57Counts::operator+=(const Ec57Counts& other) {
  for (int r = 0; r < 6; ++r) {
    for (int t = 0; t < 6; ++t)
      counts[r][t] += other.counts[r][t];
  }
  return *this;
}

Ec57Counts CompareBeats(std::span<const WfdbAnnotation> reference, std::span<const TestBeat> test,
                        const Ec57Options& options, std::vector<Ec57Mismatch>* mismatches,
                        std::vector<int8_t>* matched_reference) {
  const ReferenceStream ref_stream(reference);
  std::vector<std::pair<int64_t, int>> test_beats;
  test_beats.reserve(test.size());
  for (const TestBeat& b : test)
    test_beats.emplace_back(b.time, static_cast<int>(b.label));

  const int64_t match = std::llround(options.match_window_s * options.sampling_frequency);
  const int64_t start = std::llround(options.start_s * options.sampling_frequency);
  const int64_t end = options.end_sample;
  Ec57Counts out;
  Cursor R{ref_stream.beats}, T{test_beats};
  if (matched_reference) matched_reference->assign(test.size(), kUncounted);
  auto pair = [&](int ref, int tst) {
    if (ref == kUncounted || tst == kUncounted) return;
    if (matched_reference && tst != kO) (*matched_reference)[T.index] = static_cast<int8_t>(ref);
    out.counts[ref][tst]++;
    if (mismatches && ref != tst) mismatches->push_back({ref == kO ? T.time : R.time, ref, tst});
  };
  auto ref_pseudo = [&](int64_t t) { return ref_stream.InVf(t) ? kUncounted : kO; };

  do
    R.Advance();
  while (R.time < start);
  do
    T.Advance();
  while (T.next_time < start);

  // The test beat just before the scored interval may match the first reference beat in it.
  if (R.time - T.time < std::llabs(R.time - T.next_time) && R.time - T.time <= match) {
    pair(R.label, T.label);
    R.Advance();
    T.Advance();
  } else {
    T.Advance();
    if (T.time - start <= match && std::llabs(R.time - T.next_time) < std::llabs(R.time - T.time))
      T.Advance();
  }
  auto more = [&] {
    if (end > 0) return R.time <= end || T.time <= end;
    return R.time != kHuge || T.time != kHuge;
  };
  while (more()) {
    if (T.time < R.time) {
      if (R.time - T.time <= match && R.time - T.time < std::llabs(R.time - T.next_time)) {
        pair(R.label, T.label);
        R.Advance();
        T.Advance();
      } else {
        pair(ref_pseudo(T.time), T.label);
        T.Advance();
      }
    } else {
      if (T.time - R.time <= match && T.time - R.time < std::llabs(T.time - R.next_time)) {
        pair(R.label, T.label);
        T.Advance();
        R.Advance();
      } else {
        pair(R.label, kO);
        R.Advance();
      }
    }
  }
  return out;
}

namespace {

std::optional<double> Percent(int64_t num, int64_t den) {
  if (den <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

Ec57Stats ComputeStats(const Ec57Counts& c) {
  constexpr int N = 0, S = 1, V = 2, F = 3, Q = 4;
  int64_t qtp = 0, qfn = 0, qfp = 0;
  for (int r = 0; r < 5; ++r) {
    for (int t = 0; t < 5; ++t)
      qtp += c.at(r, t);
    qfn += c.at(r, kO);
    qfp += c.at(kO, r);
  }
  const int64_t vtp = c.at(V, V);
  const int64_t vfn = c.at(V, N) + c.at(V, S) + c.at(V, F) + c.at(V, Q) + c.at(V, kO);
  const int64_t vfp = c.at(N, V) + c.at(S, V) + c.at(kO, V);
  int64_t vtn = 0;
  for (int r : {N, S, F, Q, kO}) {
    for (int t : {N, S, F, Q})
      vtn += c.at(r, t);
  }
  const int64_t stp = c.at(S, S);
  const int64_t sfn = c.at(S, N) + c.at(S, V) + c.at(S, F) + c.at(S, Q) + c.at(S, kO);
  const int64_t sfp = c.at(N, S) + c.at(V, S) + c.at(F, S) + c.at(kO, S);
  Ec57Stats s;
  s.qrs_se = Percent(qtp, qtp + qfn);
  s.qrs_ppv = Percent(qtp, qtp + qfp);
  s.veb_se = Percent(vtp, vtp + vfn);
  s.veb_ppv = Percent(vtp, vtp + vfp);
  s.veb_fpr = Percent(vfp, vtn + vfp);
  s.sveb_se = Percent(stp, stp + sfn);
  s.sveb_ppv = Percent(stp, stp + sfp);
  return s;
}

Ec57Stats AverageStats(std::span<const Ec57Stats> per_record) {
  auto mean = [&](std::optional<double> Ec57Stats::*field) -> std::optional<double> {
    double sum = 0;
    int n = 0;
    for (const Ec57Stats& s : per_record) {
      if (s.*field) sum += *(s.*field), ++n;
    }
    if (n == 0) return std::nullopt;
    return sum / n;
  };
  Ec57Stats a;
  a.qrs_se = mean(&Ec57Stats::qrs_se);
  a.qrs_ppv = mean(&Ec57Stats::qrs_ppv);
  a.veb_se = mean(&Ec57Stats::veb_se);
  a.veb_ppv = mean(&Ec57Stats::veb_ppv);
  a.veb_fpr = mean(&Ec57Stats::veb_fpr);
  a.sveb_se = mean(&Ec57Stats::sveb_se);
  a.sveb_ppv = mean(&Ec57Stats::sveb_ppv);
  return a;
}

}  // namespace vigil::ecg
