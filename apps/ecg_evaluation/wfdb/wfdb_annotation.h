// WFDB MIT-format annotation files (`.atr`): beat labels, rhythm and signal-quality marks.
//
// Contract
//  - Untrusted input: a truncated file, a SKIP or AUX running past the end, times that go backwards
//    or a missing end marker throw HostError naming the file, the byte offset and the problem.
//  - SUB and AUX apply to the annotation before them; CHN and NUM apply to it and to every later
//    annotation until changed (as WFDB writes them: only when they differ from the previous one).
//
//   std::vector<WfdbAnnotation> ann = ReadWfdbAnnotations("/data/mitdb/100.atr");
//   for (const auto& a : ann) if (IsQrsCode(a.code)) use(a.time, AnnotationSymbol(a.code));
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace vigil::ecg {

struct WfdbAnnotation {
  int64_t time = 0;  // sample number
  uint8_t code = 0;  // WFDB annotation code (1 = N, 5 = V, 28 = rhythm change, ...)
  int8_t subtype = 0;
  uint8_t channel = 0;
  int8_t number = 0;
  std::string aux;  // e.g. "(AFIB" on rhythm changes
};

// WFDB annotation codes this project names.
namespace annotation_code {
constexpr uint8_t kNormal = 1, kPvc = 5, kFusion = 6, kApc = 8, kNoise = 14, kNote = 22,
                  kRhythm = 28, kVfOn = 32, kVfOff = 33;
}

std::vector<WfdbAnnotation> ParseWfdbAnnotations(std::span<const uint8_t> bytes,
                                                 const std::string& name_for_errors);
std::vector<WfdbAnnotation> ReadWfdbAnnotations(const std::string& path);
// Writes annotations in the same format (for `vigil ecg eval --annotations`, and round-trip tests).
std::vector<uint8_t> SerializeWfdbAnnotations(std::span<const WfdbAnnotation> annotations);

// Whether the code marks a QRS complex (WFDB's isqrs()).
bool IsQrsCode(uint8_t code);
// The code's one-character mnemonic ("N", "V", "/", "+", ...), '?' for codes WFDB leaves unnamed.
char AnnotationSymbol(uint8_t code);
// The code of a mnemonic (inverse of AnnotationSymbol), 0 when unknown.
uint8_t AnnotationCode(char symbol);

}  // namespace vigil::ecg
