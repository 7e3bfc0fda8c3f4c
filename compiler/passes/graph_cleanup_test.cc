// Identity/Dropout removal, dead-node elimination and constant-If folding.
#include <gtest/gtest.h>

#include "compiler/passes/graph_builder_for_tests.h"
#include "compiler/passes/passes.h"

namespace vigil::passes {
namespace {

using testing::GraphBuilder;
using testing::OpTypes;

TEST(IdentityRemoval, RemovesIdentityChainsAndInferenceDropout) {
  GraphBuilder b;
  int x = b.Input("x", {4});
  int a = b.Node("Relu", {x}, {"a"})[0];
  int i1 = b.Node("Identity", {a}, {"i1"})[0];
  int d = b.Node("Dropout", {i1}, {"d"})[0];
  b.Output(b.Node("Sigmoid", {d}, {"y"})[0]);
  EXPECT_EQ(RemoveIdentities(b.graph()), 2);
  ASSERT_EQ(OpTypes(b.graph()), (std::vector<std::string>{"Relu", "Sigmoid"}));
  EXPECT_EQ(b.graph().nodes[1].inputs[0], a);
}

TEST(IdentityRemoval, KeepsIdentityBetweenAGraphInputAndAGraphOutput) {
  GraphBuilder b;
  int x = b.Input("x", {4});
  b.Output(b.Node("Identity", {x}, {"y"})[0]);
  EXPECT_EQ(RemoveIdentities(b.graph()), 0);
}

TEST(IdentityRemoval, KeepsTrainingDropoutAndDropoutWhoseMaskIsRead) {
  GraphBuilder b;
  int x = b.Input("x", {4});
  int ratio = b.Constant("ratio", {}, {0.5f});
  int training = b.graph().AddConstant(
      "training", ir::TensorData::FromDoubles(ir::ElementType::kBool, {}, {1}));
  int d = b.Node("Dropout", {x, ratio, training}, {"d"})[0];
  b.Output(b.Node("Relu", {d}, {"y"})[0]);
  std::vector<int> masked = b.Node("Dropout", {x}, {"e", "mask"});
  b.Output(masked[1]);
  b.Output(b.Node("Relu", {masked[0]}, {"z"})[0]);
  EXPECT_EQ(RemoveIdentities(b.graph()), 0);
}

TEST(DeadNodeElimination, RemovesWhatNoOutputNeeds) {
  GraphBuilder b;
  int x = b.Input("x", {4});
  int used = b.Node("Relu", {x}, {"used"})[0];
  int unused = b.Node("Sigmoid", {x}, {"unused"})[0];
  b.Node("Tanh", {unused}, {"unused2"});
  b.Output(used);
  EXPECT_EQ(EliminateDeadNodes(b.graph()), 2);
  EXPECT_EQ(OpTypes(b.graph()), std::vector<std::string>{"Relu"});
}

// PyTorch's squeeze(dim) in opset 13: If(Equal(dim size, 1), then: Squeeze, else: Identity).
onnx::GraphProto Branch(const std::string& op, const std::string& input) {
  onnx::GraphProto g;
  onnx::NodeProto* n = g.add_node();
  n->set_op_type(op);
  n->add_input(input);
  n->add_output(op + "_out");
  g.add_output()->set_name(op + "_out");
  return g;
}

TEST(IfFolding, InlinesTheBranchAConstantConditionTakes) {
  GraphBuilder b;
  int x = b.Input("x", {1, 4});
  int relu = b.Node("Relu", {x}, {"r"})[0];
  int cond =
      b.graph().AddConstant("cond", ir::TensorData::FromDoubles(ir::ElementType::kBool, {}, {1}));
  int out = b.Node("If", {cond}, {"y"})[0];
  onnx::AttributeProto then_branch, else_branch;
  then_branch.set_name("then_branch");
  then_branch.set_type(onnx::AttributeProto::GRAPH);
  *then_branch.mutable_g() = Branch("Sigmoid", "r");
  else_branch.set_name("else_branch");
  else_branch.set_type(onnx::AttributeProto::GRAPH);
  *else_branch.mutable_g() = Branch("Tanh", "r");
  b.LastNode().attributes["then_branch"] = then_branch;
  b.LastNode().attributes["else_branch"] = else_branch;
  b.Output(out);
  EXPECT_EQ(FoldConstantIfs(b.graph()), 1);
  ASSERT_EQ(OpTypes(b.graph()), (std::vector<std::string>{"Relu", "Sigmoid", "Identity"}));
  EXPECT_EQ(b.graph().nodes[1].inputs[0], relu);
  EXPECT_EQ(b.graph().nodes[2].outputs[0], out);
  EXPECT_EQ(RemoveIdentities(b.graph()), 1);
  EXPECT_EQ(b.graph().values[b.graph().outputs[0]].name, "y");
}

}  // namespace
}  // namespace vigil::passes
