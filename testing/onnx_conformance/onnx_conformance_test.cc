// ONNX conformance: every node test case that ONNX itself ships for an op the compiler supports goes
// through import -> passes -> lowering -> plan -> runtime, and its outputs are compared with ONNX's
// expected outputs (|got - want| <= 1e-5 + 1e-4 |want|). Cases are generated at build time by
// generate_node_tests.py; each is its own test. Rejections must be listed, with a reason, in
// expected_rejections.txt.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "compiler/compile.h"
#include "compiler/emit/model_file_writer.h"
#include "compiler/lower/lowering.h"
#include "host/atomic_file.h"
#include "host/error.h"
#include "host/loaded_model.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

constexpr double kAbsoluteTolerance = 1e-5;
constexpr double kRelativeTolerance = 1e-4;

fs::path CasesDir() {
  return fs::path(VIGIL_ONNX_NODE_TESTS_DIR) / "node";
}

onnx::ModelProto ReadModel(const fs::path& path) {
  onnx::ModelProto model;
  std::vector<uint8_t> bytes = ReadFileBytes(path.string());
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw HostError("cannot parse " + path.string());
  return model;
}

onnx::TensorProto ReadTensor(const fs::path& path) {
  onnx::TensorProto tensor;
  std::vector<uint8_t> bytes = ReadFileBytes(path.string());
  if (!tensor.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw HostError("cannot parse " + path.string());
  return tensor;
}

// Input slots that carry parameters (shapes, scales, pads, bounds) rather than data: the node tests
// pass them as graph inputs, a deployed model has them as constants.
bool IsParameterSlot(const std::string& op, size_t slot) {
  static const std::map<std::string, std::set<size_t>> kSlots = {
      {"Reshape", {1}},    {"Resize", {1, 2, 3}},
      {"Upsample", {1}},   {"Slice", {1, 2, 3, 4}},
      {"Pad", {1, 2, 3}},  {"Clip", {1, 2}},
      {"Squeeze", {1}},    {"Unsqueeze", {1}},
      {"Dropout", {1, 2}}, {"BatchNormalization", {1, 2, 3, 4}}};
  auto it = kSlots.find(op);
  return it != kSlots.end() && it->second.count(slot) > 0;
}

std::map<std::string, std::string> ExpectedRejections() {
  std::map<std::string, std::string> out;
  std::ifstream in(VIGIL_ONNX_EXPECTED_REJECTIONS);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name, reason;
    fields >> name;
    std::getline(fields, reason);
    out[name] = reason;
  }
  return out;
}

// The cases to run: single-node models whose op the compiler lowers.
std::vector<std::string> SupportedCases() {
  std::vector<std::string> cases;
  if (!fs::is_directory(CasesDir())) return cases;
  std::vector<std::string> ops = lower::SupportedOnnxOps();
  std::set<std::string> supported(ops.begin(), ops.end());
  for (const auto& entry : fs::directory_iterator(CasesDir())) {
    fs::path model = entry.path() / "model.onnx";
    if (!fs::exists(model)) continue;
    onnx::ModelProto proto = ReadModel(model);
    if (proto.graph().node_size() == 1 && supported.count(proto.graph().node(0).op_type()) &&
        proto.graph().node(0).domain().empty()) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

// Per-op outcome counts; written as a Markdown table when VIGIL_CONFORMANCE_TABLE names a file
// (docs/onnx_conformance.md is made this way).
struct OpCounts {
  int passed = 0, rejected = 0, failed = 0;
};
std::map<std::string, OpCounts>& Counts() {
  static std::map<std::string, OpCounts> counts;
  return counts;
}

class ConformanceTable : public ::testing::Environment {
 public:
  void TearDown() override {
    const char* path = std::getenv("VIGIL_CONFORMANCE_TABLE");
    if (path == nullptr || Counts().empty()) return;
    std::string text =
        "| ONNX op | cases | passed | rejected on purpose | failed |\n|---|---:|---:|---:|---:|\n";
    OpCounts total;
    for (const auto& [op, c] : Counts()) {
      text += "| " + op + " | " + std::to_string(c.passed + c.rejected + c.failed) + " | " +
              std::to_string(c.passed) + " | " + std::to_string(c.rejected) + " | " +
              std::to_string(c.failed) + " |\n";
      total.passed += c.passed;
      total.rejected += c.rejected;
      total.failed += c.failed;
    }
    text += "| **all** | " + std::to_string(total.passed + total.rejected + total.failed) + " | " +
            std::to_string(total.passed) + " | " + std::to_string(total.rejected) + " | " +
            std::to_string(total.failed) + " |\n";
    WriteFileAtomic(path, text);
  }
};
const auto* const kTable = ::testing::AddGlobalTestEnvironment(new ConformanceTable);

class OnnxNodeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override {
    if (op_.empty()) return;
    OpCounts& c = Counts()[op_];
    if (IsSkipped())
      ++c.rejected;
    else if (HasFailure())
      ++c.failed;
    else
      ++c.passed;
  }
  std::string op_;
};

TEST_P(OnnxNodeTest, MatchesOnnxReferenceOutputs) {
  const std::string name = GetParam();
  const fs::path dir = CasesDir() / name;
  onnx::ModelProto proto = ReadModel(dir / "model.onnx");
  const onnx::NodeProto& node = proto.graph().node(0);
  op_ = node.op_type();

  std::map<std::string, std::string> rejections = ExpectedRejections();
  std::vector<uint8_t> file;
  std::vector<std::pair<std::string, ir::TensorData>> data_inputs;
  try {
    // Inputs in graph order; parameter inputs are frozen into constants.
    onnx_import::ImportOptions options;
    std::map<std::string, ir::TensorData> by_name;
    for (int i = 0; i < proto.graph().input_size(); ++i) {
      by_name[proto.graph().input(i).name()] = onnx_import::DecodeTensor(
          ReadTensor(dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb")));
    }
    for (int i = 0; i < proto.graph().input_size(); ++i) {
      const std::string& input = proto.graph().input(i).name();
      bool parameter = by_name[input].type == ir::ElementType::kInt64;
      for (int slot = 0; slot < node.input_size(); ++slot) {
        if (node.input(slot) == input && IsParameterSlot(node.op_type(), static_cast<size_t>(slot)))
          parameter = true;
      }
      if (parameter)
        options.frozen_inputs[input] = by_name[input];
      else
        data_inputs.push_back({input, by_name[input]});
    }
    ir::Graph graph = onnx_import::ImportModel(proto, options);
    OptimizeGraph(graph, nullptr);
    std::unique_ptr<schema::ModelT> model = LowerToModel(graph, CompileOptions{}, name, "");
    file = BuildModelFile(*model);
  } catch (const HostError& e) {
    if (rejections.count(name))
      GTEST_SKIP() << "rejected as expected (" << rejections[name] << "): " << e.what();
    FAIL() << "rejected but not listed in expected_rejections.txt: " << e.what();
  }
  ASSERT_EQ(rejections.count(name), 0u)
      << "listed in expected_rejections.txt but compiles now; remove it from the list";

  LoadedModel loaded = LoadedModel::FromBytes(file, name);
  ASSERT_EQ(loaded.interpreter().input_count(), static_cast<int>(data_inputs.size()));
  for (size_t i = 0; i < data_inputs.size(); ++i)
    loaded.SetInput(static_cast<int>(i), data_inputs[i].second.ToFloats());
  loaded.Invoke();
  for (int k = 0; k < proto.graph().output_size(); ++k) {
    ir::TensorData want = onnx_import::DecodeTensor(
        ReadTensor(dir / "test_data_set_0" / ("output_" + std::to_string(k) + ".pb")));
    std::vector<double> expected = want.ToDoubles();
    std::vector<float> got = loaded.Output(k);
    ASSERT_EQ(got.size(), expected.size()) << "output " << k;
    size_t mismatches = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      double tolerance = kAbsoluteTolerance + kRelativeTolerance * std::fabs(expected[i]);
      if (!(std::fabs(got[i] - expected[i]) <= tolerance)) {
        if (++mismatches <= 5)
          ADD_FAILURE() << "output " << k << "[" << i << "] = " << got[i] << ", expected "
                        << expected[i];
      }
    }
    EXPECT_EQ(mismatches, 0u) << "output " << k << " of " << got.size();
  }
}

INSTANTIATE_TEST_SUITE_P(Onnx, OnnxNodeTest, ::testing::ValuesIn(SupportedCases()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OnnxNodeTest);

}  // namespace
}  // namespace vigil
