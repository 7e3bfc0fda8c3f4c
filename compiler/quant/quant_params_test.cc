// The compiler's side of docs/int8_spec.md: parameter choice, weights, bias, tables, calibration
// methods and the calibration-data errors, checked against values worked out by hand.
#include "compiler/quant/quant_params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "compiler/quant/calibration_data.h"
#include "compiler/quant/calibrator.h"
#include "host/error.h"
#include "host/npy.h"

namespace vigil::quant {
namespace {

TEST(ChooseActivationQuant, CoversZeroAndPutsTheZeroPointWhereRealZeroFalls) {
  // [-1, 3]: scale 4/255, real 0 at q = -128 + 255/4 = -64.25 -> -64.
  AffineQuant q = ChooseActivationQuant(-1.0f, 3.0f);
  EXPECT_FLOAT_EQ(q.scale, 4.0f / 255.0f);
  EXPECT_EQ(q.zero_point, -64);
  // All positive: the range is stretched down to 0, zero point at the bottom.
  q = ChooseActivationQuant(2.0f, 5.1f);
  EXPECT_FLOAT_EQ(q.scale, 5.1f / 255.0f);
  EXPECT_EQ(q.zero_point, -128);
  // All negative: zero point at the top.
  EXPECT_EQ(ChooseActivationQuant(-7.0f, -1.0f).zero_point, 127);
  // A zero range becomes [0, 1].
  q = ChooseActivationQuant(0.0f, 0.0f);
  EXPECT_FLOAT_EQ(q.scale, 1.0f / 255.0f);
  EXPECT_EQ(q.zero_point, -128);
}

TEST(QuantizeWeights, PerChannelScalesAndAnAllZeroChannel) {
  // Two output channels of 3 weights; the second is all zero.
  QuantizedWeights w = QuantizeWeights({0.5f, -1.27f, 0.635f, 0.0f, 0.0f, 0.0f}, {2, 3}, 0);
  ASSERT_EQ(w.scales.size(), 2u);
  EXPECT_FLOAT_EQ(w.scales[0], 0.01f);
  EXPECT_FLOAT_EQ(w.scales[1], 1.0f);
  // 0.5 / 0.01 = 50; -1.27 / 0.01 = -127; 0.635 / 0.01 = 63.5 -> 64 (half away from zero).
  EXPECT_EQ(w.values, (std::vector<int8_t>{50, -127, 64, 0, 0, 0}));
}

TEST(QuantizeWeights, AlongTheLastAxisForGemmWeights) {
  QuantizedWeights w = QuantizeWeights({1.0f, 2.0f, -0.5f, 4.0f}, {2, 2}, 1);
  EXPECT_FLOAT_EQ(w.scales[0], 1.0f / 127.0f);
  EXPECT_FLOAT_EQ(w.scales[1], 4.0f / 127.0f);
  EXPECT_EQ(w.values, (std::vector<int8_t>{127, 64, -64, 127}));
}

TEST(QuantizeBias, RoundsHalfAwayFromZeroAndSaturates) {
  // scale 0.5 * 0.01 = 0.005: 0.0125 / 0.005 = 2.5 -> 3; -0.0125 -> -3; 1e9 saturates.
  EXPECT_EQ(QuantizeBias({0.0125f, -0.0125f, 1e9f}, 0.5f, {0.01f}),
            (std::vector<int32_t>{3, -3, INT32_MAX}));
}

TEST(ActivationTable, SigmoidRelativeToTheSpecFormula) {
  ActivationFunction f;
  f.sigmoid = true;
  std::vector<int8_t> t = ActivationTable(f, {0.1f, 0}, kUnitIntervalOutput);
  // q = 0 -> sigmoid(0) = 0.5 -> 0.5 * 256 - 128 = 0; q = 127 -> sigmoid(12.7) ~ 1 -> 256 - 128 -> 127.
  EXPECT_EQ(t[128], 0);
  EXPECT_EQ(t[255], 127);
  EXPECT_EQ(t[0], -128);
  for (size_t i = 1; i < t.size(); ++i)
    EXPECT_LE(t[i - 1], t[i]);
}

TEST(ActivationTable, LeakyReluKeepsThePositiveSide) {
  ActivationFunction f;
  f.kind = schema::ActivationKind::LeakyRelu;
  f.alpha = 0.25f;
  std::vector<int8_t> t = ActivationTable(f, {1.0f, 0}, {1.0f, 0});
  EXPECT_EQ(t[128 + 100], 100);
  EXPECT_EQ(t[128 - 100], -25);
  EXPECT_EQ(t[128 - 2], -1);  // -0.5 rounds away from zero
}

TEST(SoftmaxExpTable, IsExpInQ16) {
  std::vector<int32_t> t = SoftmaxExpTable(0.1f);
  EXPECT_EQ(t[255], 65536);
  EXPECT_EQ(t[245], static_cast<int32_t>(std::round(std::exp(-1.0) * 65536)));
  EXPECT_EQ(t[0], static_cast<int32_t>(std::round(std::exp(-25.5) * 65536)));
}

TEST(EntropyThreshold, ClipsTheLongTailOfAGaussian) {
  // |x| of a unit Gaussian in 2048 bins up to 10 sigma: the KL threshold sits between 2.5 and 6
  // sigma, well below the 10 sigma maximum.
  std::vector<double> histogram(2048);
  const double width = 10.0 / 2048;
  for (size_t i = 0; i < histogram.size(); ++i) {
    const double x = (static_cast<double>(i) + 0.5) * width;
    histogram[i] = std::round(1e7 * std::exp(-x * x / 2) * width);
  }
  histogram[2047] += 1;  // one far outlier
  const double t = EntropyThreshold(histogram, width);
  EXPECT_GT(t, 2.5);
  EXPECT_LT(t, 6.0);
}

TEST(CalibrationMethod, ParsesAndRejects) {
  EXPECT_EQ(ParseCalibrationMethod("entropy").method, CalibrationMethod::kEntropy);
  CalibrationOptions p = ParseCalibrationMethod("percentile:99.9");
  EXPECT_EQ(p.method, CalibrationMethod::kPercentile);
  EXPECT_DOUBLE_EQ(p.percentile, 99.9);
  EXPECT_DOUBLE_EQ(ParseCalibrationMethod("percentile").percentile, 99.99);
  EXPECT_THROW(ParseCalibrationMethod("kl"), HostError);
  EXPECT_THROW(ParseCalibrationMethod("percentile:20"), HostError);
}

class CalibrationData : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil_calib_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const NpyArray& a) {
    std::string path = (dir_ / name).string();
    WriteNpy(path, a);
    return path;
  }
  std::string Message(const std::string& path) {
    try {
      LoadSamples(path, inputs_, "calibration");
    } catch (const HostError& e) {
      return e.what();
    }
    return "";
  }
  std::filesystem::path dir_;
  std::vector<InputSpec> inputs_ = {{"x", {1, 1, 4}}};
};

TEST_F(CalibrationData, AcceptsBatchReplacedOrPrefixedShapes) {
  std::vector<float> v = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(LoadSamples(Write("a.npy", NpyArray::FromFloat(v, {2, 1, 4})), inputs_, "calibration")
                .samples.size(),
            2u);
  EXPECT_EQ(
      LoadSamples(Write("b.npy", NpyArray::FromFloat(v, {2, 1, 1, 4})), inputs_, "calibration")
          .samples.size(),
      2u);
}

TEST_F(CalibrationData, EmptyConstantAndMisshapenDataAreClearErrors) {
  EXPECT_NE(Message(Write("empty.npy", NpyArray::FromFloat({}, {0, 1, 4}))).find("is empty"),
            std::string::npos);
  EXPECT_NE(
      Message(Write("constant.npy", NpyArray::FromFloat(std::vector<float>(8, 0.5f), {2, 1, 4})))
          .find("is constant"),
      std::string::npos);
  std::string wrong =
      Message(Write("wrong.npy", NpyArray::FromFloat(std::vector<float>(10, 1.0f), {2, 5})));
  EXPECT_NE(wrong.find("does not hold samples of input 'x' [1, 1, 4]"), std::string::npos) << wrong;
  EXPECT_NE(Message((dir_ / "missing.npy").string()).find("does not exist"), std::string::npos);
  std::filesystem::create_directories(dir_ / "none");
  EXPECT_NE(Message((dir_ / "none").string()).find("is empty"), std::string::npos);
}

}  // namespace
}  // namespace vigil::quant
