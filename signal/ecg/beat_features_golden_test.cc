// The C++ chain must hand the classifier exactly the tensors it was trained on. The golden file was
// written by models/ecg/make_golden.py with models/ecg/ecg_data.py (the training code) from record
// 100; here the same record and reference R times go through BaselineFilter and BeatAssembler.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "apps/ecg_evaluation/mitdb.h"
#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"
#include "host/npy.h"
#include "signal/ecg/baseline_filter.h"
#include "signal/ecg/beat_stream.h"

namespace vigil::ecg {
namespace {

std::string Golden(const std::string& name) {
  return std::string(VIGIL_ECG_TESTDATA) + "/record100_" + name + ".npy";
}

std::string MitdbDir() {
  const char* dir = std::getenv("VIGIL_DATA_DIR");
  return std::string(dir ? dir : "../shared/data") + "/mitdb";
}

template <typename T>
std::vector<T> Values(const NpyArray& a) {
  std::vector<T> out(static_cast<size_t>(a.ElementCount()));
  std::memcpy(out.data(), a.data.data(), a.data.size());
  return out;
}

class GoldenRecord100 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(MitdbDir() + "/100.dat")) {
      GTEST_SKIP() << "MIT-BIH Arrhythmia Database (mitdb) not found under " << MitdbDir();
    }
    record_ = LoadRecording(MitdbDir(), "100");
  }
  EcgRecording record_;
};

TEST_F(GoldenRecord100, BaselineFilterMatchesTheTrainingCodeExactly) {
  const std::vector<int32_t> golden = Values<int32_t>(ReadNpy(Golden("z")));
  BaselineFilter filter;
  std::vector<int32_t> z;
  for (int32_t x : record_.samples) {
    int32_t v;
    if (filter.Push(x, &v)) z.push_back(v);
    if (z.size() == golden.size()) break;
  }
  ASSERT_EQ(z.size(), golden.size());
  for (size_t i = 0; i < golden.size(); ++i)
    ASSERT_EQ(z[i], golden[i]) << "sample " << i;
}

TEST_F(GoldenRecord100, BeatTensorsMatchTheTrainingCode) {
  const std::vector<int64_t> r = Values<int64_t>(ReadNpy(Golden("r")));
  const std::vector<uint8_t> fits = Values<uint8_t>(ReadNpy(Golden("fits")));
  const std::vector<float> rr = Values<float>(ReadNpy(Golden("rr")));
  const std::vector<float> beat = Values<float>(ReadNpy(Golden("beat")));
  const std::vector<float> qrs_difference = Values<float>(ReadNpy(Golden("qrs_difference")));
  const std::vector<float> qrs_correlation = Values<float>(ReadNpy(Golden("qrs_correlation")));
  const std::vector<float> qrs_amplitude_ratio =
      Values<float>(ReadNpy(Golden("qrs_amplitude_ratio")));
  const std::vector<int32_t> alignment = Values<int32_t>(ReadNpy(Golden("alignment")));
  std::vector<int64_t> all_r;
  for (const WfdbAnnotation& a : record_.reference) {
    if (IsQrsCode(a.code)) all_r.push_back(a.time);
  }
  // Feed the reference R times as a detector would: each a little after its R.
  BeatAssembler assembler(record_.gain);
  BaselineFilter filter;
  std::vector<BeatFeatures> out;
  size_t next = 0;
  BeatFeatures b;
  for (int64_t now = 0; now < static_cast<int64_t>(record_.samples.size()) && out.size() < r.size();
       ++now) {
    int32_t z;
    if (filter.Push(record_.samples[static_cast<size_t>(now)], &z)) assembler.AddFiltered(z);
    while (next < all_r.size() && all_r[next] + 150 <= now)
      assembler.AddBeat(all_r[next++]);
    assembler.Release(now, false);
    while (assembler.Pop(&b))
      out.push_back(b);
  }
  ASSERT_GE(out.size(), r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    SCOPED_TRACE("beat " + std::to_string(i));
    ASSERT_EQ(out[i].r, r[i]);
    ASSERT_EQ(out[i].has_window, fits[i] != 0);
    for (int k = 0; k < kRrFeatures; ++k)
      EXPECT_EQ(out[i].rr[k], rr[i * kRrFeatures + k]) << "rr " << k;
    if (!out[i].has_window) continue;
    EXPECT_EQ(out[i].alignment, alignment[i]);
    EXPECT_EQ(out[i].qrs_correlation, qrs_correlation[i]);
    EXPECT_EQ(out[i].qrs_difference, qrs_difference[i]);
    EXPECT_EQ(out[i].qrs_amplitude_ratio, qrs_amplitude_ratio[i]);
    for (int c = 0; c < 2; ++c) {
      for (int k = 0; k < kWindowValues; ++k) {
        ASSERT_EQ(out[i].beat[c][k], beat[(i * 2 + c) * kWindowValues + k])
            << "channel " << c << " value " << k;
      }
    }
  }
}

}  // namespace
}  // namespace vigil::ecg
