// Whole PyTorch models (exported by Debian's torch, testing/torch_models/export_models.py) compiled
// and run on the runtime, compared with PyTorch's own outputs: relative L2 error < 1e-5. Also checks
// on real compiled models that Init + Invoke touch exactly the planned arena.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "compiler/compile.h"
#include "host/aligned_buffer.h"
#include "host/error.h"
#include "host/loaded_model.h"
#include "host/npy.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

fs::path ModelsDir() {
  return fs::path(VIGIL_TORCH_MODELS_DIR);
}

std::vector<std::string> ModelNames() {
  std::vector<std::string> names;
  if (!fs::is_directory(ModelsDir())) return names;
  for (const auto& entry : fs::directory_iterator(ModelsDir())) {
    const std::string name = entry.path().filename().string();
    if (fs::exists(entry.path() / "expected_0.npy") && name.rfind("unsupported_", 0) != 0)
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

double RelativeL2(const std::vector<float>& got, const std::vector<float>& want) {
  double diff = 0, norm = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    diff += (static_cast<double>(got[i]) - want[i]) * (static_cast<double>(got[i]) - want[i]);
    norm += static_cast<double>(want[i]) * want[i];
  }
  return std::sqrt(diff) / std::max(std::sqrt(norm), 1e-30);
}

class TorchModelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TorchModelTest, MatchesPyTorchWithinRelativeL2OfOneInAHundredThousand) {
  const fs::path dir = ModelsDir() / GetParam();
  std::vector<uint8_t> file = CompileOnnxFile((dir / "model.onnx").string(), CompileOptions{});
  LoadedModel model = LoadedModel::FromBytes(file, GetParam());
  model.SetInput(0, ReadNpy((dir / "input_0.npy").string()).ToFloat());
  model.Invoke();
  for (int k = 0; k < model.interpreter().output_count(); ++k) {
    NpyArray want = ReadNpy((dir / ("expected_" + std::to_string(k) + ".npy")).string());
    std::vector<float> got = model.Output(k);
    ASSERT_EQ(static_cast<int64_t>(got.size()), want.ElementCount()) << "output " << k;
    EXPECT_LT(RelativeL2(got, want.ToFloat()), 1e-5) << "output " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Torch, TorchModelTest, ::testing::ValuesIn(ModelNames()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TorchModelTest);

// Fills the arena with a pattern, runs Init + Invoke, and returns one past the highest byte that
// changed.
size_t TouchedExtent(const std::vector<uint8_t>& file, size_t arena_bytes, uint8_t pattern,
                     const std::vector<float>& input) {
  AlignedBuffer model(file);
  const size_t slack = 4096;  // room past the plan, to see any write beyond it
  AlignedBuffer arena(arena_bytes + slack);
  std::memset(arena.data(), pattern, arena.size());
  auto interpreter = std::make_unique<Interpreter>();
  EXPECT_EQ(interpreter->Init(model.data(), model.size(), arena.data(), arena.size()), Status::kOk)
      << interpreter->error();
  std::memcpy(interpreter->input(0).data, input.data(), input.size() * sizeof(float));
  EXPECT_EQ(interpreter->Invoke(), Status::kOk) << interpreter->error();
  size_t extent = 0;
  for (size_t i = 0; i < arena.size(); ++i) {
    if (arena.data()[i] != pattern) extent = i + 1;
  }
  return extent;
}

TEST(CompiledModelArena, InitAndInvokeTouchExactlyThePlannedArena) {
  for (const std::string name : {"cnn1d", "unet", "depthwise"}) {
    const fs::path dir = ModelsDir() / name;
    if (!fs::exists(dir)) GTEST_SKIP() << "torch models were not generated";
    CompileReport report;
    std::vector<uint8_t> file =
        CompileOnnxFile((dir / "model.onnx").string(), CompileOptions{}, &report);
    std::vector<float> input = ReadNpy((dir / "input_0.npy").string()).ToFloat();
    // A byte can coincide with one pattern; it cannot coincide with both.
    size_t extent = std::max(TouchedExtent(file, report.arena_bytes, 0x00, input),
                             TouchedExtent(file, report.arena_bytes, 0xA5, input));
    EXPECT_EQ(extent, report.arena_bytes) << name;
  }
}

TEST(CompilerErrors, UnsupportedOpNamesTheOpAndTheNode) {
  const fs::path path = ModelsDir() / "unsupported_erf" / "model.onnx";
  if (!fs::exists(path)) GTEST_SKIP() << "torch models were not generated";
  try {
    CompileOnnxFile(path.string(), CompileOptions{});
    FAIL() << "an Erf node compiled";
  } catch (const HostError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("unsupported op 'Erf'"), std::string::npos) << message;
    EXPECT_NE(message.find("node '/Erf'"), std::string::npos) << message;
    EXPECT_NE(message.find("model.onnx"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace vigil
