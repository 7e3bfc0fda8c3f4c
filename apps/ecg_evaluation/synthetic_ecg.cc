#include "apps/ecg_evaluation/synthetic_ecg.h"

#include <cmath>
#include <numbers>
#include <random>
#include <tuple>

namespace vigil::ecg {
namespace {

constexpr double kFs = 360;
constexpr double kPi = std::numbers::pi;
constexpr int kWaves = 5;  // P Q R S T
constexpr double kWaveScale = 4.0;

// Angle (radians), amplitude and width of each wave on the cycle; McSharry's values for a normal
// beat, and a ventricular beat's: no P, a broad R (~1.9 mV), a broad S, an inverted broad T.
struct Morphology {
  double theta[kWaves], a[kWaves], b[kWaves];
};
constexpr Morphology kNormal = {{-kPi / 3, -kPi / 12, 0, kPi / 12, 0.6 * kPi},
                                {1.2, -5.0, 30.0, -7.5, 0.75},
                                {0.25, 0.1, 0.1, 0.1, 0.4}};
constexpr Morphology kVentricular = {{-kPi / 3, -kPi / 8, 0, kPi / 6, 0.6 * kPi},
                                     {0.0, -4.0, 7.0, -3.0, -0.5},
                                     {0.25, 0.2, 0.26, 0.3, 0.5}};
constexpr Morphology kAtrial = {{-kPi / 2.6, -kPi / 12, 0, kPi / 12, 0.6 * kPi},
                                {-0.7, -5.0, 30.0, -7.5, 0.75},
                                {0.2, 0.1, 0.1, 0.1, 0.4}};

struct PlannedBeat {
  double rr;  // seconds from the previous beat's R to this one's
  AamiClass label;
};

// The beat plan: sinus rhythm with isolated ectopic beats, and the alarm episodes at fixed times.
std::vector<PlannedBeat> PlanBeats(const SyntheticEcgOptions& o, std::mt19937& rng) {
  std::normal_distribution<double> hrv(0, 0.02);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<PlannedBeat> plan;
  const double base_rr = 60.0 / o.heart_rate_bpm;
  double t = 0;
  int since_ectopic = 0;
  while (t < o.seconds + 2) {
    double rr = base_rr * (1 + hrv(rng));
    AamiClass label = AamiClass::kN;
    const bool in_tachy = o.episodes && t > 150 && t < 170;
    const bool in_brady = o.episodes && t > 220 && t < 240;
    if (in_tachy) rr = 60.0 / 135 * (1 + hrv(rng) / 4);
    if (in_brady) rr = 60.0 / 36 * (1 + hrv(rng) / 4);
    ++since_ectopic;
    if (o.episodes && plan.size() == 120) {  // ventricular run of 4 (about 100 s in)
      for (int i = 0; i < 4; ++i)
        plan.push_back({base_rr * 0.55, AamiClass::kV}), t += base_rr * 0.55;
      plan.push_back({base_rr * 1.6, AamiClass::kN});
      t += base_rr * 1.6;
      continue;
    }
    if (o.episodes && plan.size() == 250) rr = 2.9;  // sinus pause
    if (!in_tachy && !in_brady && since_ectopic > 4) {
      if (o.pvc_every_beats > 0 && unit(rng) < 1 / o.pvc_every_beats) {
        plan.push_back({base_rr * 0.62, AamiClass::kV});
        plan.push_back({base_rr * 1.38, AamiClass::kN});  // compensatory pause
        t += 2 * base_rr;
        since_ectopic = 0;
        continue;
      }
      if (o.pac_every_beats > 0 && unit(rng) < 1 / o.pac_every_beats) {
        plan.push_back({base_rr * 0.68, AamiClass::kS});
        plan.push_back({base_rr * 1.1, AamiClass::kN});  // non-compensatory
        t += base_rr * 1.78;
        since_ectopic = 0;
        continue;
      }
    }
    plan.push_back({rr, label});
    t += rr;
  }
  return plan;
}

const Morphology& MorphologyOf(AamiClass c) {
  return c == AamiClass::kV ? kVentricular : c == AamiClass::kS ? kAtrial : kNormal;
}

}  // namespace

SyntheticEcg GenerateSyntheticEcg(const SyntheticEcgOptions& o) {
  std::mt19937 rng(o.seed);
  const std::vector<PlannedBeat> plan = PlanBeats(o, rng);
  std::normal_distribution<double> noise(0, o.noise_mv);
  SyntheticEcg out;
  const int64_t n = static_cast<int64_t>(o.seconds * kFs);
  out.samples.reserve(static_cast<size_t>(n));
  // Integrate the model in 4 sub-steps per sample. The phase runs from -pi to pi over each beat,
  // R (theta = 0) landing at the planned time; a beat's morphology applies to its whole cycle.
  constexpr int kSub = 4;
  const double dt = 1.0 / (kFs * kSub);
  double z = 0, t = 0, beat_start = 0;
  size_t beat = 0;
  auto cycle = [&](size_t i) {  // a cycle spans half of the RR before R and half of the one after
    const double before = plan[i].rr / 2;
    const double after = (i + 1 < plan.size() ? plan[i + 1].rr : plan[i].rr) / 2;
    return std::pair{before, after};
  };
  double r_time = cycle(0).first;
  out.truth.push_back({static_cast<int64_t>(std::lround(r_time * kFs)), plan[0].label});
  for (int64_t s = 0; s < n; ++s) {
    for (int k = 0; k < kSub; ++k, t += dt) {
      auto [before, after] = cycle(beat);
      if (t >= r_time + after && beat + 1 < plan.size()) {
        beat_start = t;
        ++beat;
        r_time = beat_start + cycle(beat).first;
        if (r_time * kFs < static_cast<double>(n)) {
          out.truth.push_back({static_cast<int64_t>(std::lround(r_time * kFs)), plan[beat].label});
        }
        std::tie(before, after) = cycle(beat);
      }
      const double theta = t < r_time ? kPi * (t - r_time) / before : kPi * (t - r_time) / after;
      const double omega = t < r_time ? kPi / before : kPi / after;
      const Morphology& m = MorphologyOf(plan[beat].label);
      double dz = 0;
      for (int w = 0; w < kWaves; ++w) {
        double d = std::remainder(theta - m.theta[w], 2 * kPi);
        dz -= m.a[w] * d * std::exp(-d * d / (2 * m.b[w] * m.b[w])) * omega;
      }
      // The waves' sum is scaled so a normal R wave peaks near 1.2 mV; z relaxes (1/s) towards a
      // 0.25 Hz baseline wander of 0.1 mV.
      const double wander = 0.1 * std::sin(2 * kPi * 0.25 * t);
      z += (kWaveScale * dz - (z - wander)) * dt;
    }
    out.samples.push_back(static_cast<int32_t>(std::lround((z + noise(rng)) * out.gain)));
  }
  return out;
}

}  // namespace vigil::ecg
