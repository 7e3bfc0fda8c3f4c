// EC57 beat-by-beat comparison: our implementation of the rules PhysioNet's `bxb` applies
// (ANSI/AAMI EC57:1998), used to score `vigil ecg eval` and `vigil ecg stress`.
//
// Rules (docs/ecg.md has the long form)
//  - A test beat matches a reference beat within 150 ms, the nearer of two candidates winning, with
//    bxb's pairing order; a reference beat without a match is missed ("o" column), a test beat
//    without one is a false detection ("O" row).
//  - The first 5 minutes of a record are not scored. Test beats inside reference ventricular
//    flutter/fibrillation ([ ... ]) are not scored either, nor are reference beats there.
//  - Classes by de Chazal's AAMI mapping: N = N L R e j (and B); S = A a J S; V = V E; F = F;
//    Q = / f Q. (bxb itself counts e and j as S; we follow the issue and the inter-patient papers.)
//  - Statistics are bxb's: QRS Se/+P over all classes; VEB Se = Vv / all V, VEB +P = Vv / (Vv +
//    Nv + Sv + Ov), VEB FPR = (Nv + Sv + Ov) / (those + every non-V beat not called v); SVEB Se =
//    Ss / all S, SVEB +P = Ss / (Ss + Ns + Vs + Fs + Os). "Gross" pools counts over records,
//    "average" means the per-record values over the records where each is defined.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"
#include "signal/ecg/aami_class.h"

namespace vigil::ecg {

// The class of a WFDB beat code (IsQrsCode(code) must hold).
AamiClass AamiClassOfCode(uint8_t code);

struct TestBeat {
  int64_t time = 0;
  AamiClass label = AamiClass::kN;
};

struct Ec57Options {
  double sampling_frequency = 360;
  double match_window_s = 0.15;
  double start_s = 300;     // beats before this are not scored
  int64_t end_sample = -1;  // record length; -1: until both annotation lists end
};

// counts[reference][test]: rows N S V F Q and 5 = "O" (test beat with no reference beat); columns
// n s v f q and 5 = "o" (reference beat with no test beat).
struct Ec57Counts {
  std::array<std::array<int64_t, 6>, 6> counts{};

  Ec57Counts& operator+=(const Ec57Counts& other);
  int64_t at(int reference, int test) const { return counts[reference][test]; }
};

struct Ec57Stats {
  std::optional<double> qrs_se, qrs_ppv, veb_se, veb_ppv, veb_fpr, sveb_se, sveb_ppv;  // percent
};

Ec57Stats ComputeStats(const Ec57Counts& c);
// Means of the per-record statistics, each over the records where it is defined.
Ec57Stats AverageStats(std::span<const Ec57Stats> per_record);

// A scored pair whose classes differ (reference 5: extra test beat; test 5: missed beat).
struct Ec57Mismatch {
  int64_t time = 0;  // the reference beat's time, or the test beat's when there is none
  int reference = 0;
  int test = 0;
};

// Compares a test annotator's beats (time order) with the reference annotation file's content.
// When `mismatches` is given, every scored pair whose classes differ is appended to it. When
// `matched_reference` is given, it gets one entry per test beat: the class (0..4) of the reference
// beat it was paired with, 5 for none (a false detection), -1 where the beat was not scored.
Ec57Counts CompareBeats(std::span<const WfdbAnnotation> reference, std::span<const TestBeat> test,
                        const Ec57Options& options = {},
                        std::vector<Ec57Mismatch>* mismatches = nullptr,
                        std::vector<int8_t>* matched_reference = nullptr);

}  // namespace vigil::ecg
