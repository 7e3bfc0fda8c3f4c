// The model commands as a user runs them: build/bin/vigil in a child process, checking exit status,
// the error message and that nothing was written on failure.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/crc32.h"
#include "core/model_file.h"
#include "host/atomic_file.h"
#include "host/npy.h"
#include "testing/cli_runner.h"
#include "testing/op_test_model.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

using testing::RunVigil;
using Result = testing::CommandResult;

class ModelCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    onnx_ = fs::path(VIGIL_TORCH_MODELS_DIR) / "cnn1d" / "model.onnx";
    if (!fs::exists(onnx_)) GTEST_SKIP() << "torch models were not generated";
    dir_ = fs::temp_directory_path() / ("vigil_model_commands_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    model_ = (dir_ / "cnn1d.vgl").string();
    Result r = RunVigil({"compile", onnx_.string(), "-o", model_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    input_ = (dir_ / "x.npy").string();
    fs::copy_file(fs::path(VIGIL_TORCH_MODELS_DIR) / "cnn1d" / "input_0.npy", input_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path onnx_, dir_;
  std::string model_, input_;
};

TEST_F(ModelCommandsTest, RunWritesWhatPyTorchComputed) {
  Result r = RunVigil({"run", model_, "--input", input_, "--output", Path("y.npy")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<float> got = ReadNpy(Path("y.npy")).ToFloat();
  std::vector<float> want =
      ReadNpy((fs::path(VIGIL_TORCH_MODELS_DIR) / "cnn1d" / "expected_0.npy").string()).ToFloat();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-6);
}

TEST_F(ModelCommandsTest, TruncatedModelIsRejectedAndNothingIsWritten) {
  std::vector<uint8_t> bytes = ReadFileBytes(model_);
  bytes.resize(bytes.size() / 2);
  WriteFileAtomic(Path("cut.vgl"), bytes);
  Result r = RunVigil({"run", Path("cut.vgl"), "--input", input_, "--output", Path("y.npy")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("y.npy")));
}

TEST_F(ModelCommandsTest, BitFlippedModelIsRejectedAndNothingIsWritten) {
  std::vector<uint8_t> bytes = ReadFileBytes(model_);
  bytes[bytes.size() / 2] ^= 0x10;
  WriteFileAtomic(Path("flipped.vgl"), bytes);
  Result r = RunVigil({"run", Path("flipped.vgl"), "--input", input_, "--output", Path("y.npy")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("corrupt"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("y.npy")));
}

TEST_F(ModelCommandsTest, WrongInputShapeOrDtypeIsRejectedWithTheExpectedShape) {
  WriteNpy(Path("short.npy"), NpyArray::FromFloat(std::vector<float>(128), {1, 1, 128}));
  Result r = RunVigil({"run", model_, "--input", Path("short.npy"), "--output", Path("y.npy")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("must be float32 [1, 1, 256], got <f4 [1, 1, 128]"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(Path("y.npy")));

  WriteNpy(Path("double.npy"),
           NpyArray::FromBytes(NpyType::kFloat64, std::vector<uint8_t>(256 * 8), {1, 1, 256}));
  r = RunVigil({"run", model_, "--input", Path("double.npy"), "--output", Path("y.npy")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("got <f8 [1, 1, 256]"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("y.npy")));

  r = RunVigil({"run", model_, "--output", Path("y.npy")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the model has 1 input(s); got 0 --input"), std::string::npos) << r.err;
}

TEST_F(ModelCommandsTest, UnsupportedOpFailsCompileNamingOpAndNode) {
  Result r = RunVigil(
      {"compile", (fs::path(VIGIL_TORCH_MODELS_DIR) / "unsupported_erf" / "model.onnx").string(),
       "-o", Path("erf.vgl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("node '/Erf' (Erf): unsupported op 'Erf'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("erf.vgl")));
}

TEST_F(ModelCommandsTest, InspectReportsTheArenaTheCompilerPlanned) {
  Result compiled = RunVigil({"compile", onnx_.string(), "-o", Path("again.vgl"), "--json"});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  Result r = RunVigil({"inspect", model_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json inspect = nlohmann::json::parse(r.out);
  nlohmann::json compile = nlohmann::json::parse(compiled.out);
  EXPECT_EQ(inspect["arena_bytes"], compile["arena_bytes"]);
  EXPECT_EQ(inspect["ops"].size(), compile["ops"].get<size_t>());
  // Conv1d(1->16, k7) on 256 samples: 16 * 256 * 7 MACs for the first layer.
  EXPECT_EQ(inspect["ops"][0]["macs"], 16 * 256 * 7);
}

// A valid file need not carry metadata, and its names are not checked for UTF-8. This one, from the
// fuzzer, has no metadata; its tensor "t1" is renamed to the invalid UTF-8 "\xff" "1" (CRC fixed up).
// inspect must still describe it, not fail inside its printer.
TEST_F(ModelCommandsTest, InspectDescribesAFileWithoutMetadataOrUtf8Names) {
  std::ifstream in(std::string(std::getenv("VIGIL_SOURCE_DIR")) +
                       "/testing/fuzz/regressions/softmax_empty_axis.vgl",
                   std::ios::binary);
  std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const uint8_t t1[] = {2, 0, 0, 0, 't', '1', 0};
  auto at = std::search(file.begin(), file.end(), std::begin(t1), std::end(t1));
  ASSERT_NE(at, file.end());
  at[4] = 0xFF;
  WriteLe32(file.data() + 12,
            Crc32(file.data() + kModelHeaderBytes, file.size() - kModelHeaderBytes));
  WriteFileAtomic(Path("odd.vgl"), std::span<const uint8_t>(file));

  Result text = RunVigil({"inspect", Path("odd.vgl")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Softmax"), std::string::npos) << text.out;
  Result r = RunVigil({"inspect", Path("odd.vgl"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["arena_bytes"], 192);
  EXPECT_EQ(j["metadata"], nlohmann::json::object());
  EXPECT_EQ(j["tensors"][1]["name"],
            "\xEF\xBF\xBD"
            "1");  // U+FFFD, the replacement character
}

TEST_F(ModelCommandsTest, EmitCWritesAnAlignedArrayAndTheArenaSize) {
  Result r =
      RunVigil({"compile", onnx_.string(), "--emit", "c", "-o", Path("cnn1d_model.h"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string source = ReadFileText(Path("cnn1d_model.h"));
  std::string arena = nlohmann::json::parse(r.out)["arena_bytes"].dump();
  EXPECT_NE(source.find("alignas(16) inline constexpr uint8_t cnn1d_model[] = {"),
            std::string::npos);
  EXPECT_NE(source.find("inline constexpr size_t cnn1d_model_arena_bytes = " + arena + ";"),
            std::string::npos);
}

TEST_F(ModelCommandsTest, BenchReportsMedianAndP90) {
  Result r = RunVigil({"bench", model_, "--iterations", "5", "--warmup", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["median_ms"].get<double>(), 0.0);
  EXPECT_GE(j["p90_ms"].get<double>(), j["median_ms"].get<double>());
  EXPECT_EQ(j["iterations"], 5);
}

// `-o` never replaces a FIFO or a symbolic link (as root it once replaced /dev/full), and a file it
// does replace keeps its mode.
TEST_F(ModelCommandsTest, OutputOntoAFifoOrALinkIsRefusedAndAReplacedFileKeepsItsMode) {
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0644), 0);
  fs::create_symlink(model_, Path("link.vgl"));
  const std::vector<uint8_t> model_bytes = ReadFileBytes(model_);
  for (const char* name : {"fifo", "link.vgl"}) {
    Result r = RunVigil({"compile", onnx_.string(), "-o", Path(name)});
    EXPECT_EQ(r.exit_code, 1) << name;
    EXPECT_NE(r.err.find("cannot write " + Path(name) + ": it is a"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(fs::is_fifo(Path("fifo")));
  EXPECT_TRUE(fs::is_symlink(Path("link.vgl")));
  EXPECT_EQ(ReadFileBytes(model_), model_bytes);

  ASSERT_EQ(::chmod(model_.c_str(), 0600), 0);
  ASSERT_EQ(RunVigil({"compile", onnx_.string(), "-o", model_}).exit_code, 0);
  struct stat st {};
  ASSERT_EQ(::stat(model_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// y0 = Relu(x), y1 = Relu(x): a model with two outputs, built by hand.
std::vector<uint8_t> TwoOutputModel() {
  testing::OpTestModel m;
  int x = m.Input({1, 4});
  int y0 = m.Output({1, 4});
  int y1 = m.Output({1, 4});
  m.AddOp(OpCode::kRelu, {x}, {y0});
  m.AddOp(OpCode::kRelu, {x}, {y1});
  return m.Build();
}

// A scratch folder for the tests without the ONNX fixture.
fs::path ScratchDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("vigil_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The README promises nothing half-written: before, y0 was written when y1 could not be.
TEST(VigilRun, TwoOutputsAreWrittenBothOrNeither) {
  const fs::path dir = ScratchDir("run_two_outputs");
  const std::string model = (dir / "two.vgl").string(), x = (dir / "x.npy").string();
  const std::string y0 = (dir / "y0.npy").string(), y1 = (dir / "y1.npy").string();
  WriteFileAtomic(model, TwoOutputModel());
  WriteNpy(x, NpyArray::FromFloat(std::vector<float>{-1, 2, -3, 4}, {1, 4}));
  fs::create_directory(dir / "folder");
  for (const std::string& bad :
       {(dir / "missing" / "y1.npy").string(), (dir / "folder").string()}) {
    Result r = RunVigil({"run", model, "-i", x, "-o", y0, "-o", bad});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_NE(r.err.find("cannot write " + bad), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(y0)) << "written although " << bad << " was not";
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()),
            3);  // no temporaries

  Result r = RunVigil({"run", model, "-i", x, "-o", y0, "-o", y1});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadNpy(y0).ToFloat(), (std::vector<float>{0, 2, 0, 4}));
  EXPECT_EQ(ReadNpy(y1).ToFloat(), (std::vector<float>{0, 2, 0, 4}));
  fs::remove_all(dir);
}

// Before, /dev/zero as a model, tensor or signal file was read until std::bad_alloc ("internal
// error"); now what is not a regular file, or is larger than its kind allows, is refused unread.
TEST(VigilCommand, InputsThatAreNotRegularFilesOrTooLargeAreRefusedUnread) {
  const fs::path dir = ScratchDir("bounded_inputs");
  const std::string model = (dir / "two.vgl").string();
  WriteFileAtomic(model, TwoOutputModel());
  const std::string not_regular =
      "cannot read /dev/zero: it is a character device, not a regular file";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"inspect", "/dev/zero"},
        {"compile", "/dev/zero", "-o", (dir / "out.vgl").string()},
        {"run", model, "-i", "/dev/zero", "-o", (dir / "y0.npy").string(), "-o",
         (dir / "y1.npy").string()}}) {
    Result r = RunVigil(args);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_NE(r.err.find(not_regular), std::string::npos) << r.err;
  }

  // A WFDB record whose signal file is /dev/zero (through a link, as a data folder might have it).
  WriteFileAtomic((dir / "z.hea").string(),
                  std::string("z 1 360 3600\nz.dat 16 200 11 1024 0 0 0 MLII\n"));
  fs::create_symlink("/dev/zero", dir / "z.dat");
  Result r = RunVigil({"ecg", "monitor", "--record", (dir / "z").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot read " + (dir / "z.dat").string() + ": it is a character device"),
            std::string::npos)
      << r.err;

  // A sparse 2 GiB tensor: refused by its size before a byte is read.
  const std::string huge = (dir / "huge.npy").string();
  WriteFileAtomic(huge, std::string("\x93NUMPY"));
  fs::resize_file(huge, 2ull << 30);
  r = RunVigil(
      {"run", model, "-i", huge, "-o", (dir / "y0.npy").string(), "-o", (dir / "y1.npy").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot read " + huge +
                       ": 2147483648 bytes or more; a tensor file (.npy) may have at most"),
            std::string::npos)
      << r.err;
  fs::remove_all(dir);
}

TEST(VigilCommand, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunVigil({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunVigil({"run"}).exit_code, 2);
  EXPECT_EQ(RunVigil({"compile", "--bogus"}).exit_code, 2);
}

}  // namespace
}  // namespace vigil
