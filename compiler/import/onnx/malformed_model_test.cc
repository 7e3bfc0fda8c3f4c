// Malformed ONNX models that once crashed the compiler (issue 13, item 8), kept as regression
// models: each is built here, written to a file and compiled as `vigil compile` does. Each must end
// in a HostError that names the file, the node or value and what is wrong; none may crash.
//  - attributes ONNX's own shape inference divides by or indexes with, unchecked (Conv strides 0
//    raised SIGFPE inside libonnx);
//  - a graph output no node produces (lowering dereferenced a null node, SIGSEGV; with an earlier
//    node, the error blamed that node).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "compiler/compile.h"
#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

struct IntsAttribute {
  std::string name;
  std::vector<int64_t> values;
};

void AddInput(onnx::GraphProto* g, const std::string& name, const std::vector<int64_t>& shape) {
  onnx::ValueInfoProto* v = g->add_input();
  v->set_name(name);
  auto* tensor = v->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape)
    tensor->mutable_shape()->add_dim()->set_dim_value(d);
}

// ONNX's checker wants a shape on every graph output; symbolic dimensions leave it to inference.
void AddOutput(onnx::GraphProto* g, const std::string& name, int rank) {
  onnx::ValueInfoProto* v = g->add_output();
  v->set_name(name);
  auto* tensor = v->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  for (int i = 0; i < rank; ++i)
    tensor->mutable_shape()->add_dim()->set_dim_param(name + "_" + std::to_string(i));
}

void AddWeights(onnx::GraphProto* g, const std::string& name, const std::vector<int64_t>& shape) {
  onnx::TensorProto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  int64_t count = 1;
  for (int64_t d : shape)
    t->add_dims(d), count *= d;
  for (int64_t i = 0; i < count; ++i)
    t->add_float_data(0.5f);
}

onnx::NodeProto* AddNode(onnx::GraphProto* g, const std::string& op, const std::string& name,
                         const std::vector<std::string>& inputs,
                         const std::vector<std::string>& outputs) {
  onnx::NodeProto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name);
  for (const std::string& in : inputs)
    n->add_input(in);
  for (const std::string& out : outputs)
    n->add_output(out);
  return n;
}

void SetInts(onnx::NodeProto* n, const IntsAttribute& attribute) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(attribute.name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : attribute.values)
    a->add_ints(v);
}

void SetInt(onnx::NodeProto* n, const std::string& name, int64_t value) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

void SetString(onnx::NodeProto* n, const std::string& name, const std::string& value) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(value);
}

onnx::ModelProto Model(onnx::GraphProto graph) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  graph.set_name("malformed");
  *m.mutable_graph() = std::move(graph);
  return m;
}

// x [1, 2, 6, 6] -> Conv (w [2, 2, 3, 3] unless given) -> y
onnx::GraphProto ConvGraph(onnx::NodeProto** conv,
                           const std::vector<int64_t>& weight_shape = {2, 2, 3, 3}) {
  onnx::GraphProto g;
  AddInput(&g, "x", {1, 2, 6, 6});
  AddWeights(&g, "w", weight_shape);
  *conv = AddNode(&g, "Conv", "conv1", {"x", "w"}, {"y"});
  AddOutput(&g, "y", 4);
  return g;
}

// x [1, 2, 6, 6] -> `op` with kernel 2x2 -> y
onnx::GraphProto PoolGraph(const std::string& op, onnx::NodeProto** pool) {
  onnx::GraphProto g;
  AddInput(&g, "x", {1, 2, 6, 6});
  *pool = AddNode(&g, op, "pool1", {"x"}, {"y"});
  SetInts(*pool, {"kernel_shape", {2, 2}});
  AddOutput(&g, "y", 4);
  return g;
}

class MalformedModel : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vigil_malformed_model_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Compiles the model from a file; returns the HostError's message ("" when it compiled).
  std::string CompileError(const onnx::ModelProto& model) {
    const std::string path = (dir_ / "model.onnx").string();
    std::string bytes;
    model.SerializeToString(&bytes);
    WriteFileAtomic(path, bytes);
    try {
      CompileOnnxFile(path, CompileOptions{});
    } catch (const HostError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos)
          << "the message names the file: " << e.what();
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(MalformedModel, ConvWithZeroStridesIsRejectedNamingNodeAndAttribute) {
  onnx::NodeProto* conv;
  onnx::GraphProto g = ConvGraph(&conv);
  SetInts(conv, {"strides", {0, 0}});
  const std::string error = CompileError(Model(g));
  EXPECT_NE(error.find("node 'conv1' (Conv)"), std::string::npos) << error;
  EXPECT_NE(error.find("strides"), std::string::npos) << error;
  EXPECT_NE(error.find(">= 1"), std::string::npos) << error;
}

TEST_F(MalformedModel, ConvWithZeroStridesAndSamePaddingIsRejected) {
  onnx::NodeProto* conv;
  onnx::GraphProto g = ConvGraph(&conv);
  SetInts(conv, {"strides", {0, 0}});
  SetString(conv, "auto_pad", "SAME_UPPER");
  EXPECT_NE(CompileError(Model(g)).find("strides"), std::string::npos);
}

TEST_F(MalformedModel, ConvWindowAttributesOutOfRangeAreRejected) {
  const std::vector<IntsAttribute> bad = {
      {"strides", {1, -1}},    {"dilations", {0, 1}},    {"dilations", {-2, -2}},
      {"pads", {0, 0, -1, 0}}, {"kernel_shape", {0, 3}}, {"strides", {1, int64_t{1} << 40}}};
  for (const IntsAttribute& attribute : bad) {
    onnx::NodeProto* conv;
    onnx::GraphProto g = ConvGraph(&conv);
    SetInts(conv, attribute);
    const std::string error = CompileError(Model(g));
    EXPECT_NE(error.find("node 'conv1' (Conv)"), std::string::npos)
        << attribute.name << ": " << error;
    EXPECT_NE(error.find(attribute.name), std::string::npos) << attribute.name << ": " << error;
  }
}

TEST_F(MalformedModel, ConvGroupMustBePositiveAndDivideTheChannels) {
  for (int64_t group : {0, -1, 3}) {
    onnx::NodeProto* conv;
    onnx::GraphProto g = ConvGraph(&conv);
    SetInt(conv, "group", group);
    const std::string error = CompileError(Model(g));
    EXPECT_NE(error.find("node 'conv1' (Conv)"), std::string::npos) << group << ": " << error;
    EXPECT_NE(error.find("group"), std::string::npos) << group << ": " << error;
  }
  // Input channels 2, weights [2, 1, 3, 3] with group 2 is a valid depthwise Conv; group 4 is not.
  onnx::NodeProto* conv;
  onnx::GraphProto g = ConvGraph(&conv, {2, 1, 3, 3});
  SetInt(conv, "group", 2);
  EXPECT_EQ(CompileError(Model(g)), "");
  g = ConvGraph(&conv, {4, 1, 3, 3});
  SetInt(conv, "group", 4);
  EXPECT_NE(CompileError(Model(g)).find("group"), std::string::npos);
}

TEST_F(MalformedModel, PoolsWithZeroStridesOrKernelAreRejected) {
  for (const std::string op : {"MaxPool", "AveragePool", "LpPool"}) {
    for (const IntsAttribute& attribute :
         std::vector<IntsAttribute>{{"strides", {0, 0}}, {"pads", {-1, 0, 0, 0}}}) {
      onnx::NodeProto* pool;
      onnx::GraphProto g = PoolGraph(op, &pool);
      SetInts(pool, attribute);
      const std::string error = CompileError(Model(g));
      EXPECT_NE(error.find("node 'pool1' (" + op + ")"), std::string::npos) << op << ": " << error;
      EXPECT_NE(error.find(attribute.name), std::string::npos) << op << ": " << error;
    }
  }
  onnx::NodeProto* pool;
  onnx::GraphProto g = PoolGraph("MaxPool", &pool);
  pool->mutable_attribute(0)->set_ints(0, 0);  // kernel_shape [0, 2]
  EXPECT_NE(CompileError(Model(g)).find("kernel_shape"), std::string::npos);
}

TEST_F(MalformedModel, ValidWindowAttributesStillCompile) {
  onnx::NodeProto* conv;
  onnx::GraphProto g = ConvGraph(&conv);
  SetInts(conv, {"strides", {2, 1}});
  SetInts(conv, {"dilations", {1, 2}});
  SetInts(conv, {"pads", {1, 0, 1, 2}});
  EXPECT_EQ(CompileError(Model(g)), "");
  onnx::NodeProto* pool;
  g = PoolGraph("MaxPool", &pool);
  SetInts(pool, {"strides", {2, 2}});
  EXPECT_EQ(CompileError(Model(g)), "");
}

TEST_F(MalformedModel, GraphOutputThatNoNodeProducesIsRejectedByName) {
  onnx::GraphProto g;
  AddInput(&g, "x", {1, 4});
  AddOutput(&g, "orphan", 2);
  const std::string error = CompileError(Model(g));
  EXPECT_NE(error.find("graph output 'orphan'"), std::string::npos) << error;
  EXPECT_NE(error.find("no node"), std::string::npos) << error;
}

TEST_F(MalformedModel, GraphOutputThatNoNodeProducesDoesNotBlameAnEarlierNode) {
  onnx::GraphProto g;
  AddInput(&g, "x", {1, 4});
  AddNode(&g, "Relu", "relu1", {"x"}, {"r"});
  AddOutput(&g, "r", 2);
  AddOutput(&g, "orphan", 2);
  const std::string error = CompileError(Model(g));
  EXPECT_NE(error.find("graph output 'orphan'"), std::string::npos) << error;
  EXPECT_EQ(error.find("relu1"), std::string::npos) << error;
}

TEST_F(MalformedModel, GraphInputsAndInitializersAreValidOutputs) {
  onnx::GraphProto g;
  AddInput(&g, "x", {1, 4});
  AddWeights(&g, "c", {1, 4});
  AddNode(&g, "Relu", "relu1", {"x"}, {"r"});
  AddOutput(&g, "r", 2);
  AddOutput(&g, "x", 2);
  AddOutput(&g, "c", 2);
  EXPECT_EQ(CompileError(Model(g)), "");
}

}  // namespace
}  // namespace vigil
