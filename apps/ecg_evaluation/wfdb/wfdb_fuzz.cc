// libFuzzer target for the WFDB readers: the first byte picks the parser; the header parser gets
// the rest as text, the annotation parser as bytes, and the signal decoder the rest as a signal
// file under a fixed two-signal header (format from the second byte).
#include <cstddef>
#include <cstdint>
#include <string>

#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"
#include "apps/ecg_evaluation/wfdb/wfdb_record.h"
#include "host/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::span<const uint8_t> rest(data + 2, size - 2);
  try {
    switch (data[0] % 3) {
      case 0:
        vigil::ecg::ParseWfdbHeader(
            std::string(reinterpret_cast<const char*>(rest.data()), rest.size()), "fuzz.hea");
        break;
      case 1: vigil::ecg::ParseWfdbAnnotations(rest, "fuzz.atr"); break;
      default: {
        const std::string fmt = data[1] % 2 ? "16" : "212";
        const auto header = vigil::ecg::ParseWfdbHeader(
            "f 2 360\nf.dat " + fmt + " 200 12 0 0\nf.dat " + fmt + " 200 12 0 0\n", "fuzz.hea");
        vigil::ecg::DecodeWfdbSignals(rest, header, "fuzz.dat");
      }
    }
  } catch (const vigil::HostError&) {
    // Rejected with a message: the expected outcome for malformed input.
  }
  return 0;
}
