// Bit-exactness of int8: for every edge case and for whole models compiled with --quantize int8,
// every backend's outputs equal the independent NumPy reference's, byte for byte.
#include <gtest/gtest.h>

#include <filesystem>

#include "compiler/compile.h"
#include "host/aligned_buffer.h"
#include "host/error.h"
#include "testing/int8/backend_harness.h"
#include "testing/int8/int8_cases.h"
#include "vigil/interpreter.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;

size_t OutputCount(const std::vector<uint8_t>& model) {
  AlignedBuffer file(model);
  auto interpreter = std::make_unique<Interpreter>();
  size_t arena_bytes = 0;
  (void)ReadArenaBytes(file.data(), file.size(), &arena_bytes);
  AlignedBuffer arena(arena_bytes);
  EXPECT_EQ(interpreter->Init(file.data(), file.size(), arena.data(), arena.size()), Status::kOk);
  return static_cast<size_t>(interpreter->output_count());
}

void ExpectAllBackendsMatchNumpy(const std::vector<uint8_t>& model,
                                 const std::vector<NpyArray>& inputs) {
  std::vector<std::vector<uint8_t>> golden = NumpyReference(model, inputs, OutputCount(model));
  for (auto& backend : AvailableBackends()) {
    std::vector<std::vector<uint8_t>> got = backend->Run(model, inputs);
    ASSERT_EQ(got.size(), golden.size()) << backend->name();
    for (size_t k = 0; k < got.size(); ++k) {
      ASSERT_EQ(got[k].size(), golden[k].size()) << backend->name() << " output " << k;
      size_t differing = 0, first = 0;
      for (size_t i = 0; i < got[k].size(); ++i) {
        if (got[k][i] != golden[k][i] && differing++ == 0) first = i;
      }
      EXPECT_EQ(differing, 0u) << backend->name() << " output " << k << ": " << differing << " of "
                               << got[k].size()
                               << " bytes differ from the NumPy reference, first at byte " << first;
    }
  }
}

// Built once: test discovery names every case, and under ASan building them all takes seconds.
const std::vector<Int8Case>& Cases() {
  static const std::vector<Int8Case> cases = MakeInt8Cases();
  return cases;
}

class Int8EdgeCaseTest : public ::testing::TestWithParam<size_t> {};

TEST_P(Int8EdgeCaseTest, EveryBackendMatchesTheNumpyReferenceBitForBit) {
  const Int8Case& c = Cases()[GetParam()];
  SCOPED_TRACE(c.name);
  ExpectAllBackendsMatchNumpy(c.model, c.inputs);
}

std::vector<size_t> CaseIndices() {
  std::vector<size_t> indices;
  for (size_t i = 0; i < Cases().size(); ++i)
    indices.push_back(i);
  return indices;
}

INSTANTIATE_TEST_SUITE_P(Int8, Int8EdgeCaseTest, ::testing::ValuesIn(CaseIndices()),
                         [](const ::testing::TestParamInfo<size_t>& param) {
                           return Cases()[param.param].name;
                         });

// Whole models: the 1-d CNN and the U-Net of the quantization tests, compiled with int8 by the
// real compiler, on evaluation samples the calibration never saw.
class Int8ModelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(Int8ModelTest, CompiledModelMatchesTheNumpyReferenceBitForBit) {
  const fs::path dir = VIGIL_QUANT_MODELS_DIR;
  const std::string name = GetParam();
  if (!fs::exists(dir / (name + ".onnx")))
    GTEST_SKIP() << "quantization test models were not generated";
  CompileOptions options;
  options.quantize_int8 = true;
  options.calibration_data = (dir / (name + "_calib.npy")).string();
  options.calibration.progress = false;
  std::vector<uint8_t> model = CompileOnnxFile((dir / (name + ".onnx")).string(), options);
  NpyArray eval = ReadNpy((dir / (name + "_eval.npy")).string());
  const int64_t sample = eval.ElementCount() / eval.shape[0];
  std::vector<int64_t> shape(eval.shape.begin(), eval.shape.end());
  shape[0] = 1;
  for (int64_t i = 0; i < 3; ++i) {
    std::vector<float> values = eval.ToFloat();
    NpyArray input = NpyArray::FromFloat(
        std::vector<float>(values.begin() + i * sample, values.begin() + (i + 1) * sample), shape);
    ExpectAllBackendsMatchNumpy(model, {input});
  }
}

INSTANTIATE_TEST_SUITE_P(Int8, Int8ModelTest, ::testing::Values("cnn1d", "unet"));

}  // namespace
}  // namespace vigil::testing
