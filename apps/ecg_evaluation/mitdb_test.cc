// LoadRecording's refusal of a record the chain cannot run on must show the rate as the header
// gives it: "360.000000 Hz" for 360.0000001 Hz read as if the rates were equal, and 1e-7 Hz
// printed as "0.000000 Hz" (issue 13, item 14).
#include "apps/ecg_evaluation/mitdb.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil::ecg {
namespace {

// The HostError of loading a two-sample, all-zero record sampled at `frequency` (header text).
std::string LoadError(const std::string& frequency) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vigil_mitdb_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  WriteFileAtomic((dir / "rec.hea").string(),
                  "rec 1 " + frequency + " 2\nrec.dat 16 200 16 0 0 0 0 MLII\n");
  WriteFileAtomic((dir / "rec.dat").string(), std::vector<uint8_t>(4, 0));
  std::string message = "no error";
  try {
    LoadRecording(dir.string(), "rec", /*with_annotations=*/false);
  } catch (const HostError& e) {
    message = e.what();
  }
  std::filesystem::remove_all(dir);
  return message;
}

TEST(LoadRecording, ARateNotExactly360HzIsShownExactly) {
  EXPECT_NE(LoadError("360.0000001")
                .find("sampled at 360.0000001 Hz, not the 360 Hz the ECG chain runs at"),
            std::string::npos)
      << LoadError("360.0000001");
  // A rate no ECG recorder has is refused by the header reader, which names it as exactly.
  EXPECT_NE(LoadError("0.0000001").find("sampling frequency 1e-07 Hz is outside 1 to 100000 Hz"),
            std::string::npos)
      << LoadError("0.0000001");
  EXPECT_NE(LoadError("250").find("sampled at 250 Hz"), std::string::npos) << LoadError("250");
  EXPECT_EQ(LoadError("360"), "no error");
}

}  // namespace
}  // namespace vigil::ecg
