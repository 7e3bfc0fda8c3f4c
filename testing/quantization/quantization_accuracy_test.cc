// INT8 against float32 on the 1-d CNN and the U-Net (testing/quantization/make_quant_models.py),
// calibrated on one structured synthetic set and evaluated on another, with each calibration
// method: output cosine >= 0.99, classifier argmax agreement >= 99 %, and the 1-d CNN's int8 file
// and arena at most 30 % of float32's.
#include <gtest/gtest.h>

#include <filesystem>

#include "compiler/compile.h"
#include "compiler/emit/model_file_writer.h"
#include "compiler/quant/quant_report.h"
#include "host/loaded_model.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

struct Measured {
  quant::QuantizationAccuracy accuracy;
  size_t fp32_file, int8_file, fp32_arena, int8_arena;
};

Measured Measure(const std::string& name, const std::string& method) {
  const fs::path dir = VIGIL_QUANT_MODELS_DIR;
  CompileOptions options;
  options.quantize_int8 = true;
  options.calibration_data = (dir / (name + "_calib.npy")).string();
  options.calibration = quant::ParseCalibrationMethod(method);
  options.calibration.progress = false;
  CompileReport report;
  ir::Graph graph = ImportAndOptimize((dir / (name + ".onnx")).string(), options, &report);
  std::unique_ptr<schema::ModelT> fp32 = LowerToModel(graph, options, name, report.source_sha256);
  std::vector<uint8_t> fp32_bytes = BuildModelFile(*fp32);
  quant::QuantizedModel int8 = QuantizeLoweredModel(*fp32, options, &report);
  std::vector<uint8_t> int8_bytes = BuildModelFile(*int8.model);
  LoadedModel float_model = LoadedModel::FromBytes(fp32_bytes);
  LoadedModel int8_model = LoadedModel::FromBytes(int8_bytes);
  quant::SampleSet eval = quant::LoadSamples((dir / (name + "_eval.npy")).string(), quant::ModelInputs(float_model), "evaluation");
  Measured m;
  m.accuracy = quant::MeasureQuantization(float_model, int8_model, int8.int8_tensor_of, eval, false);
  m.fp32_file = fp32_bytes.size();
  m.int8_file = int8_bytes.size();
  m.fp32_arena = float_model.arena_bytes();
  m.int8_arena = int8_model.arena_bytes();
  return m;
}

class QuantizationAccuracy : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!fs::exists(fs::path(VIGIL_QUANT_MODELS_DIR) / "cnn1d.onnx")) GTEST_SKIP() << "quantization test models were not generated";
  }
};

TEST_P(QuantizationAccuracy, ClassifierKeepsItsAnswersAndShrinksToUnderThirtyPercent) {
  Measured m = Measure("cnn1d", GetParam());
  ASSERT_EQ(m.accuracy.outputs.size(), 1u);
  EXPECT_GE(m.accuracy.outputs[0].cosine, 0.99);
  EXPECT_GE(m.accuracy.outputs[0].argmax_agreement, 0.99);
  EXPECT_LE(static_cast<double>(m.int8_file), 0.30 * static_cast<double>(m.fp32_file));
  EXPECT_LE(static_cast<double>(m.int8_arena), 0.30 * static_cast<double>(m.fp32_arena));
}

TEST_P(QuantizationAccuracy, UNetOutputStaysWithinCosineOfPointNineNine) {
  Measured m = Measure("unet", GetParam());
  ASSERT_EQ(m.accuracy.outputs.size(), 1u);
  EXPECT_GE(m.accuracy.outputs[0].cosine, 0.99);
  // Every layer is reported, worst first.
  ASSERT_FALSE(m.accuracy.layers.empty());
  for (size_t i = 1; i < m.accuracy.layers.size(); ++i) EXPECT_LE(m.accuracy.layers[i - 1].sqnr_db, m.accuracy.layers[i].sqnr_db);
}

INSTANTIATE_TEST_SUITE_P(Methods, QuantizationAccuracy, ::testing::Values("minmax", "percentile:99.99", "entropy"),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                           std::string n = p.param;
                           for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

}  // namespace
}  // namespace vigil
