// Writes the seed corpus of vigil_model_fuzzer as .vgl files: every golden model of
// testing/golden/ (each op's cases, data movement in int8 and int32 too, Quantize and Dequantize,
// the tiny U-Net and the ECG CNN) and every int8 edge case of testing/int8/ (int8 kernels).
//   vigil_model_fuzz_seeds OUT_DIR
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "host/atomic_file.h"
#include "testing/golden/golden_models.h"
#include "testing/int8/int8_cases.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    std::filesystem::create_directories(argv[1]);
    int count = 0;
    for (vigil::testing::golden::GoldenModel& m : vigil::testing::golden::AllGoldenModels()) {
      const std::string name = m.model->model().operators.back()->name;
      char path[512];
      std::snprintf(path, sizeof(path), "%s/%03d_%s.vgl", argv[1], count++, name.c_str());
      vigil::WriteFileAtomic(path, m.model->Build());
    }
    for (const vigil::testing::Int8Case& c : vigil::testing::MakeInt8Cases()) {
      char path[512];
      std::snprintf(path, sizeof(path), "%s/%03d_int8_%s.vgl", argv[1], count++, c.name.c_str());
      vigil::WriteFileAtomic(path, c.model);
    }
    std::printf("wrote %d seed models to %s\n", count, argv[1]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "vigil_model_fuzz_seeds: %s\n", error.what());
    return 1;
  }
  return 0;
}
