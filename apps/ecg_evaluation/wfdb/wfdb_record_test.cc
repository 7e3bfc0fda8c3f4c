#include "apps/ecg_evaluation/wfdb/wfdb_record.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "host/error.h"

namespace vigil::ecg {
namespace {

// Packs samples into format 212 by the definition (independent of the decoder).
std::vector<uint8_t> Pack212(const std::vector<int32_t>& s) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < s.size(); i += 2) {
    const uint32_t a = static_cast<uint32_t>(s[i]) & 0xFFF;
    const uint32_t b = i + 1 < s.size() ? static_cast<uint32_t>(s[i + 1]) & 0xFFF : 0;
    out.push_back(static_cast<uint8_t>(a & 0xFF));
    out.push_back(static_cast<uint8_t>((a >> 8) | ((b >> 8) << 4)));
    if (i + 1 < s.size()) out.push_back(static_cast<uint8_t>(b & 0xFF));
  }
  return out;
}

int16_t Checksum(const std::vector<int32_t>& interleaved, size_t signal, size_t nsig) {
  int32_t sum = 0;
  for (size_t i = signal; i < interleaved.size(); i += nsig)
    sum += interleaved[i];
  return static_cast<int16_t>(sum);
}

TEST(WfdbHeader, ParsesCrlfRecordAndSignalLinesWithGainBaselineAndUnits) {
  const std::string text =
      "# leading comment\r\n"
      "rec 2 360 3\r\n"
      "rec.dat 212 200(1024)/mV 11 1024 995 -3 0 MLII\r\n"
      "rec.dat 212 0 12 0 1011 25 0 V5 lead\r\n"
      "# 69 M\r\n";
  const WfdbHeader h = ParseWfdbHeader(text, "rec.hea");
  EXPECT_EQ(h.record_name, "rec");
  EXPECT_EQ(h.sampling_frequency, 360);
  EXPECT_EQ(h.sample_count, 3);
  ASSERT_EQ(h.signals.size(), 2u);
  EXPECT_EQ(h.signals[0].gain, 200);
  EXPECT_EQ(h.signals[0].baseline, 1024);
  EXPECT_EQ(h.signals[0].units, "mV");
  EXPECT_EQ(h.signals[0].initial_value, 995);
  EXPECT_EQ(h.signals[0].checksum, -3);
  EXPECT_EQ(h.signals[1].gain, 200);    // 0 = uncalibrated: WFDB's default gain
  EXPECT_EQ(h.signals[1].baseline, 0);  // the ADC zero when no baseline is given
  EXPECT_EQ(h.signals[1].description, "V5 lead");
  EXPECT_EQ(h.FindSignal("V5 lead"), 1);
  EXPECT_EQ(h.FindSignal("MLII"), 0);
  EXPECT_EQ(h.FindSignal("V1"), -1);
  EXPECT_EQ(h.comments.size(), 2u);
}

TEST(WfdbHeader, RejectsMissingSignalsAndUnsupportedFormats) {
  EXPECT_THROW(ParseWfdbHeader("r 2 360 10\nr.dat 212\n", "r.hea"), HostError);
  EXPECT_THROW(ParseWfdbHeader("r 1 360 10\nr.dat 310 200\n", "r.hea"), HostError);
  EXPECT_THROW(ParseWfdbHeader("r x 360\n", "r.hea"), HostError);
  EXPECT_THROW(ParseWfdbHeader("# only a comment\n", "r.hea"), HostError);
}

// Issue 13 item 10: a gain of 1e-300 or 1e300 was accepted, and the chain, which scales the signal by
// it, then called every V beat N (or the reverse). The bounds are a real ECG recorder's (docs/ecg.md).
TEST(WfdbHeader, RefusesGainsNoEcgRecorderHasNamingTheBound) {
  for (const char* gain : {"1e-300", "1e300", "0.5", "2e7", "nan", "inf", "-200"}) {
    try {
      ParseWfdbHeader(std::string("r 1 360 10\nr.dat 16 ") + gain + " 16 0 0 0 0 MLII\n", "r.hea");
      ADD_FAILURE() << "gain " << gain << " was accepted";
    } catch (const HostError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("r.hea"), std::string::npos) << message;
      EXPECT_NE(message.find("gain"), std::string::npos) << message;
      if (std::string(gain) != "-200") {
        EXPECT_NE(message.find("1 to 1e+07 adu/mV"), std::string::npos) << gain << ": " << message;
      }
    }
  }
}

TEST(WfdbHeader, BoundsTheGainPerMillivoltWhateverTheVoltageUnit) {
  // 1 adu/uV = 1000 adu/mV and 200000 adu/V = 200 adu/mV are real; 1e5 adu/uV = 1e8 adu/mV and
  // 200 adu/V = 0.2 adu/mV are not.
  EXPECT_NO_THROW(ParseWfdbHeader("r 1 360\nr.dat 16 1/uV\n", "r.hea"));
  EXPECT_NO_THROW(ParseWfdbHeader("r 1 360\nr.dat 16 200000/V\n", "r.hea"));
  EXPECT_NO_THROW(ParseWfdbHeader("r 1 360\nr.dat 16 1e7/mV\n", "r.hea"));
  EXPECT_NO_THROW(ParseWfdbHeader("r 1 360\nr.dat 16 1/mV\n", "r.hea"));
  EXPECT_THROW(ParseWfdbHeader("r 1 360\nr.dat 16 1e5/uV\n", "r.hea"), HostError);
  EXPECT_THROW(ParseWfdbHeader("r 1 360\nr.dat 16 200/V\n", "r.hea"), HostError);
  EXPECT_EQ(*GainPerMillivolt(ParseWfdbHeader("r 1 360\nr.dat 16 1/uV\n", "r.hea").signals[0]),
            1000);
  EXPECT_EQ(*GainPerMillivolt(ParseWfdbHeader("r 1 360\nr.dat 16 200000/V\n", "r.hea").signals[0]),
            200);
  EXPECT_EQ(*GainPerMillivolt(ParseWfdbHeader("r 1 360\nr.dat 16 200\n", "r.hea").signals[0]),
            200);  // mV
  EXPECT_FALSE(
      GainPerMillivolt(ParseWfdbHeader("r 1 125\nr.dat 16 100/mmHg\n", "r.hea").signals[0]));
}

TEST(WfdbHeader, RefusesSamplingFrequenciesNoEcgRecorderHasNamingTheBound) {
  for (const char* fs : {"1e-300", "0.5", "1e300", "200000", "nan"}) {
    try {
      ParseWfdbHeader(std::string("r 1 ") + fs + " 10\nr.dat 16 200\n", "r.hea");
      ADD_FAILURE() << "sampling frequency " << fs << " was accepted";
    } catch (const HostError& e) {
      EXPECT_NE(std::string(e.what()).find("1 to 100000 Hz"), std::string::npos)
          << fs << ": " << e.what();
    }
  }
  EXPECT_EQ(ParseWfdbHeader("r 1 100000\nr.dat 16 200\n", "r.hea").sampling_frequency, 100000);
  EXPECT_EQ(ParseWfdbHeader("r 1 1\nr.dat 16 200\n", "r.hea").sampling_frequency, 1);
}

TEST(WfdbSignals, Decodes212And16ByTheirDefinitionsAndChecksThem) {
  const std::vector<int32_t> interleaved = {995, 1011, -1, 2047, -2048, 0, 5, -300, 1000, -1000};
  WfdbHeader h = ParseWfdbHeader(
      "r 2 360 5\nr.dat 212 200 12 0 995 " + std::to_string(Checksum(interleaved, 0, 2)) +
          " 0 A\nr.dat 212 200 12 0 1011 " + std::to_string(Checksum(interleaved, 1, 2)) + " 0 B\n",
      "r.hea");
  auto s = DecodeWfdbSignals(Pack212(interleaved), h, "r.dat");
  EXPECT_EQ(s[0], (std::vector<int32_t>{995, -1, -2048, 5, 1000}));
  EXPECT_EQ(s[1], (std::vector<int32_t>{1011, 2047, 0, -300, -1000}));

  std::vector<uint8_t> bytes16;
  for (int32_t v : interleaved)
    bytes16.push_back(static_cast<uint8_t>(v)), bytes16.push_back(static_cast<uint8_t>(v >> 8));
  for (auto& sig : h.signals)
    sig.format = 16;
  EXPECT_EQ(DecodeWfdbSignals(bytes16, h, "r.dat")[1][3], -300);

  h.signals[1].checksum += 1;  // a corrupted header (or data) is caught
  EXPECT_THROW(DecodeWfdbSignals(bytes16, h, "r.dat"), HostError);
}

TEST(WfdbSignals, TruncatedAndOversizedFilesAreErrors) {
  WfdbHeader h = ParseWfdbHeader("r 1 360 4\nr.dat 16 200\n", "r.hea");
  EXPECT_THROW(DecodeWfdbSignals(std::vector<uint8_t>(7), h, "r.dat"), HostError);
  EXPECT_THROW(DecodeWfdbSignals(std::vector<uint8_t>(12), h, "r.dat"), HostError);
  EXPECT_NO_THROW(DecodeWfdbSignals(std::vector<uint8_t>(8), h, "r.dat"));
}

TEST(WfdbSignals, InitialValueMismatchIsAnError) {
  WfdbHeader h = ParseWfdbHeader("r 1 360 2\nr.dat 16 200 12 0 7\n", "r.hea");
  EXPECT_THROW(DecodeWfdbSignals(std::vector<uint8_t>{1, 0, 2, 0}, h, "r.dat"), HostError);
}

TEST(WfdbRecord, ReadsMitdbRecord114WithMliiAsSignal1) {
  const char* data = std::getenv("VIGIL_DATA_DIR");
  const std::string dir = std::string(data ? data : "../shared/data") + "/mitdb";
  if (!std::filesystem::exists(dir + "/114.dat"))
    GTEST_SKIP() << "MIT-BIH Arrhythmia Database (mitdb) not found in " << dir;
  const WfdbRecord rec = ReadWfdbRecord(dir + "/114");
  EXPECT_EQ(rec.header.sample_count, 650000);
  EXPECT_EQ(rec.header.FindSignal("MLII"), 1);  // the published layout: V5, MLII
  EXPECT_EQ(rec.samples[1].size(), 650000u);
  EXPECT_EQ(rec.samples[1][0], rec.header.signals[1].initial_value);
}

}  // namespace
}  // namespace vigil::ecg
