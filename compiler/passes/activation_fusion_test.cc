#include <gtest/gtest.h>

#include <cfloat>

#include "compiler/passes/graph_builder_for_tests.h"
#include "compiler/passes/passes.h"

namespace vigil::passes {
namespace {

using testing::GraphBuilder;
using testing::OpTypes;

TEST(ActivationFusion, ReluMovesIntoTheConvThatFeedsIt) {
  GraphBuilder b;
  int x = b.Input("x", {1, 1, 4});
  int conv = b.Node("Conv", {x, b.Constant("w", {1, 1, 1}, {1})}, {"conv"})[0];
  b.Output(b.Node("Relu", {conv}, {"y"})[0]);
  EXPECT_EQ(FuseActivations(b.graph()), 1);
  ASSERT_EQ(OpTypes(b.graph()), std::vector<std::string>{"Conv"});
  EXPECT_EQ(b.graph().nodes[0].activation.kind, ir::ActivationKind::kRelu);
  EXPECT_EQ(b.graph().values[b.graph().outputs[0]].name, "y");
}

TEST(ActivationFusion, ClipWithConstantBoundsAndLeakyReluCarryTheirParameters) {
  GraphBuilder b;
  int x = b.Input("x", {1, 4});
  int add = b.Node("Add", {x, x}, {"sum"})[0];
  int clipped = b.Node("Clip", {add, b.Constant("lo", {}, {0.0f}), b.Constant("hi", {}, {6.0f})},
                       {"clip"})[0];
  int gemm =
      b.Node("Gemm", {clipped, b.Constant("w", {4, 4}, std::vector<float>(16, 1.0f))}, {"fc"})[0];
  int leaky = b.Node("LeakyRelu", {gemm}, {"y"})[0];
  onnx::AttributeProto alpha;
  alpha.set_name("alpha");
  alpha.set_type(onnx::AttributeProto::FLOAT);
  alpha.set_f(0.2f);
  b.LastNode().attributes["alpha"] = alpha;
  b.Output(leaky);
  EXPECT_EQ(FuseActivations(b.graph()), 2);
  ASSERT_EQ(OpTypes(b.graph()), (std::vector<std::string>{"Add", "Gemm"}));
  EXPECT_EQ(b.graph().nodes[0].activation.kind, ir::ActivationKind::kClip);
  EXPECT_FLOAT_EQ(b.graph().nodes[0].activation.min, 0.0f);
  EXPECT_FLOAT_EQ(b.graph().nodes[0].activation.max, 6.0f);
  EXPECT_EQ(b.graph().nodes[1].activation.kind, ir::ActivationKind::kLeakyRelu);
  EXPECT_FLOAT_EQ(b.graph().nodes[1].activation.alpha, 0.2f);
}

TEST(ActivationFusion, NoFusionWhenTheProducerOutputIsReadElsewhereOrIsAGraphOutput) {
  GraphBuilder b;
  int x = b.Input("x", {1, 4});
  int add = b.Node("Add", {x, x}, {"sum"})[0];
  int relu = b.Node("Relu", {add}, {"relu"})[0];
  b.Output(b.Node("Mul", {relu, add}, {"y"})[0]);  // `sum` has a second reader
  int sub = b.Node("Sub", {x, x}, {"diff"})[0];
  b.Output(sub);
  b.Output(b.Node("Relu", {sub}, {"z"})[0]);  // `diff` is itself an output
  EXPECT_EQ(FuseActivations(b.graph()), 0);
  EXPECT_EQ(OpTypes(b.graph()), (std::vector<std::string>{"Add", "Relu", "Mul", "Sub", "Relu"}));
}

TEST(ActivationFusion, ClipWithRuntimeBoundsStaysAnOp) {
  GraphBuilder b;
  int x = b.Input("x", {1, 4});
  int lo = b.Input("lo", {});
  int add = b.Node("Add", {x, x}, {"sum"})[0];
  b.Output(b.Node("Clip", {add, lo}, {"y"})[0]);
  EXPECT_EQ(FuseActivations(b.graph()), 0);
}

}  // namespace
}  // namespace vigil::passes
