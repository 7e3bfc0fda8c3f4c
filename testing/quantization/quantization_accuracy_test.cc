// INT8 against float32 on the 1-d CNN and the U-Net (testing/quantization/make_quant_models.py),
// calibrated on one structured synthetic set and evaluated on another, with each calibration
// method: output cosine >= 0.99, classifier argmax agreement >= 99 %, and the 1-d CNN's int8 file
// and arena at most 30 % of float32's.
#include <gtest/gtest.h>

#include <filesystem>

#include "compiler/compile.h"
#include "compiler/emit/model_file_writer.h"
#include "compiler/quant/quant_report.h"
#include "core/op_code.h"
#include "host/error.h"
#include "host/loaded_model.h"
#include "testing/cli_runner.h"
#include "vigil/tensor.h"

#include <nlohmann/json.hpp>

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
  quant::SampleSet eval = quant::LoadSamples((dir / (name + "_eval.npy")).string(),
                                             quant::ModelInputs(float_model), "evaluation");
  Measured m;
  m.accuracy =
      quant::MeasureQuantization(float_model, int8_model, int8.int8_tensor_of, eval, false);
  m.fp32_file = fp32_bytes.size();
  m.int8_file = int8_bytes.size();
  m.fp32_arena = float_model.arena_bytes();
  m.int8_arena = int8_model.arena_bytes();
  return m;
}

class QuantizationAccuracy : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!fs::exists(fs::path(VIGIL_QUANT_MODELS_DIR) / "cnn1d.onnx"))
      GTEST_SKIP() << "quantization test models were not generated";
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
  for (size_t i = 1; i < m.accuracy.layers.size(); ++i)
    EXPECT_LE(m.accuracy.layers[i - 1].sqnr_db, m.accuracy.layers[i].sqnr_db);
}

INSTANTIATE_TEST_SUITE_P(Methods, QuantizationAccuracy,
                         ::testing::Values("minmax", "percentile:99.99", "entropy"),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                           std::string n = p.param;
                           for (char& c : n)
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

TEST(MixedPrecision, AKeptOpRunsInFloatBetweenDequantizeAndQuantize) {
  const fs::path dir = VIGIL_QUANT_MODELS_DIR;
  if (!fs::exists(dir / "cnn1d.onnx"))
    GTEST_SKIP() << "quantization test models were not generated";
  CompileOptions options;
  options.quantize_int8 = true;
  options.calibration_data = (dir / "cnn1d_calib.npy").string();
  options.calibration.progress = false;
  options.quantization.keep_fp32 = {"/conv3/Conv"};
  CompileReport report;
  LoadedModel model =
      LoadedModel::FromBytes(CompileOnnxFile((dir / "cnn1d.onnx").string(), options, &report));
  ASSERT_EQ(report.float_ops.size(), 1u);
  const schema::Model& m = model.model();
  int kept = -1;
  for (uint32_t i = 0; i < m.operators()->size(); ++i) {
    if (m.operators()->Get(i)->name()->str() == "/conv3/Conv") kept = static_cast<int>(i);
  }
  ASSERT_GT(kept, 0);
  auto dtype_of = [&](int32_t t) {
    return static_cast<DType>(m.tensors()->Get(static_cast<uint32_t>(t))->dtype());
  };
  const schema::Operator* conv = m.operators()->Get(static_cast<uint32_t>(kept));
  EXPECT_EQ(dtype_of(conv->inputs()->Get(0)), DType::kFloat32);
  EXPECT_EQ(dtype_of(conv->inputs()->Get(1)), DType::kFloat32);
  EXPECT_EQ(dtype_of(conv->outputs()->Get(0)), DType::kFloat32);
  EXPECT_EQ(m.operators()->Get(static_cast<uint32_t>(kept - 1))->opcode(),
            static_cast<uint16_t>(OpCode::kDequantize));
  EXPECT_EQ(m.operators()->Get(static_cast<uint32_t>(kept + 1))->opcode(),
            static_cast<uint16_t>(OpCode::kQuantize));
  // An op name the model does not have is an error, not a silent no-op.
  options.quantization.keep_fp32 = {"/no/such/op"};
  EXPECT_THROW(CompileOnnxFile((dir / "cnn1d.onnx").string(), options), HostError);
}

TEST(QuantReportCommand, ListsEveryLayerWorstFirstAsJson) {
  const fs::path dir = VIGIL_QUANT_MODELS_DIR;
  if (!fs::exists(dir / "cnn1d.onnx"))
    GTEST_SKIP() << "quantization test models were not generated";
  testing::CommandResult r = testing::RunVigil(
      {"quant-report", (dir / "cnn1d.onnx").string(), "--calib", (dir / "cnn1d_calib.npy").string(),
       "--eval", (dir / "cnn1d_eval.npy").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_GE(j["layers"].size(), 8u);
  for (size_t i = 1; i < j["layers"].size(); ++i) {
    EXPECT_LE(j["layers"][i - 1]["sqnr_db"].get<double>(), j["layers"][i]["sqnr_db"].get<double>());
  }
  EXPECT_GE(j["outputs"][0]["argmax_agreement"].get<double>(), 0.99);
  testing::CommandResult missing =
      testing::RunVigil({"quant-report", (dir / "cnn1d.onnx").string(), "--calib",
                         (dir / "cnn1d_calib.npy").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--calib and --eval are both required"), std::string::npos);
}

}  // namespace
}  // namespace vigil
