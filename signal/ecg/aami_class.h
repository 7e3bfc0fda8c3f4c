// The AAMI beat classes (ANSI/AAMI EC57): the classifier's labels, the alarms' input and the EC57
// scorer's rows and columns. They belong to the signal chain, not to the scorer, so the monitor's
// classifier and alarms name them without depending on the evaluation toolkit.
//
// The mapping from WFDB beat codes (de Chazal's) is in apps/ecg_evaluation/ec57/ec57_comparator.h.
#pragma once

#include <cstdint>

namespace vigil::ecg {

enum class AamiClass : uint8_t { kN = 0, kS, kV, kF, kQ };
constexpr int kAamiClasses = 5;

// 'N' 'S' 'V' 'F' 'Q'
constexpr char AamiLetter(AamiClass c) {
  return "NSVFQ"[static_cast<int>(c)];
}

}  // namespace vigil::ecg
