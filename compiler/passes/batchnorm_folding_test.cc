#include <gtest/gtest.h>

#include <cmath>

#include "compiler/passes/graph_builder_for_tests.h"
#include "compiler/passes/passes.h"

namespace vigil::passes {
namespace {

using testing::GraphBuilder;
using testing::OpTypes;

struct BatchNormParams {
  std::vector<float> gamma, beta, mean, var;
  float epsilon = 1e-3f;
  double Scale(size_t c) const {
    return gamma[c] / std::sqrt(static_cast<double>(var[c]) + epsilon);
  }
  double Shift(size_t c) const { return beta[c] - mean[c] * Scale(c); }
};

int AddBatchNorm(GraphBuilder& b, int x, const BatchNormParams& p) {
  const int64_t c = static_cast<int64_t>(p.gamma.size());
  int y = b.Node("BatchNormalization",
                 {x, b.Constant("g", {c}, p.gamma), b.Constant("b", {c}, p.beta),
                  b.Constant("m", {c}, p.mean), b.Constant("v", {c}, p.var)},
                 {"y"})[0];
  onnx::AttributeProto eps;
  eps.set_name("epsilon");
  eps.set_type(onnx::AttributeProto::FLOAT);
  eps.set_f(p.epsilon);
  b.LastNode().attributes["epsilon"] = eps;
  return y;
}

const BatchNormParams kBn = {{1.5f, 0.5f}, {0.1f, -0.2f}, {0.3f, -0.4f}, {2.0f, 0.25f}};

TEST(BatchNormFolding, ConvWeightsAndBiasAbsorbTheNormalisation) {
  GraphBuilder b;
  int x = b.Input("x", {1, 1, 4, 4});
  int w = b.Constant("w", {2, 1, 1, 1}, {2.0f, -3.0f});
  int bias = b.Constant("bias", {2}, {0.5f, 1.0f});
  int conv = b.Node("Conv", {x, w, bias}, {"conv"})[0];
  b.Output(AddBatchNorm(b, conv, kBn));

  EXPECT_EQ(FoldBatchNorms(b.graph()), 1);
  ASSERT_EQ(OpTypes(b.graph()), std::vector<std::string>{"Conv"});
  const ir::Node& node = b.graph().nodes[0];
  std::vector<double> folded_w = b.graph().values[node.inputs[1]].constant->ToDoubles();
  std::vector<double> folded_b = b.graph().values[node.inputs[2]].constant->ToDoubles();
  const double w0[2] = {2.0, -3.0}, b0[2] = {0.5, 1.0};
  for (size_t c = 0; c < 2; ++c) {
    EXPECT_NEAR(folded_w[c], w0[c] * kBn.Scale(c), 1e-6);
    EXPECT_NEAR(folded_b[c], b0[c] * kBn.Scale(c) + kBn.Shift(c), 1e-6);
  }
  // The graph output keeps its name on the value that now carries it.
  EXPECT_EQ(b.graph().values[b.graph().outputs[0]].name, "y");
}

TEST(BatchNormFolding, GroupedConvTransposeScalesEachOutputChannel) {
  GraphBuilder b;
  int x = b.Input("x", {1, 2, 2, 2});
  // group 2: weight [C=2, M/group=1, 1, 1], output channel m = group index.
  int w = b.Constant("w", {2, 1, 1, 1}, {4.0f, 8.0f});
  int conv = b.Node("ConvTranspose", {x, w}, {"up"})[0];
  ir::SetIntAttribute(b.LastNode(), "group", 2);
  b.Output(AddBatchNorm(b, conv, kBn));
  ASSERT_EQ(FoldBatchNorms(b.graph()), 1);
  const ir::Node& node = b.graph().nodes[0];
  std::vector<double> folded_w = b.graph().values[node.inputs[1]].constant->ToDoubles();
  EXPECT_NEAR(folded_w[0], 4.0 * kBn.Scale(0), 1e-6);
  EXPECT_NEAR(folded_w[1], 8.0 * kBn.Scale(1), 1e-6);
  EXPECT_NEAR(b.graph().values[node.inputs[2]].constant->ToDoubles()[1], kBn.Shift(1), 1e-6);
}

TEST(BatchNormFolding, GemmWithTransposedWeightsAndBetaFoldsIntoUnitBeta) {
  GraphBuilder b;
  int x = b.Input("x", {1, 3});
  int w = b.Constant("w", {2, 3}, {1, 2, 3, 4, 5, 6});  // transB: rows are output features
  int c = b.Constant("c", {2}, {1.0f, -1.0f});
  int gemm = b.Node("Gemm", {x, w, c}, {"fc"})[0];
  ir::SetIntAttribute(b.LastNode(), "transB", 1);
  onnx::AttributeProto beta;
  beta.set_name("beta");
  beta.set_type(onnx::AttributeProto::FLOAT);
  beta.set_f(2.0f);
  b.LastNode().attributes["beta"] = beta;
  b.Output(AddBatchNorm(b, gemm, kBn));
  ASSERT_EQ(FoldBatchNorms(b.graph()), 1);
  const ir::Node& node = b.graph().nodes[0];
  std::vector<double> folded_w = b.graph().values[node.inputs[1]].constant->ToDoubles();
  std::vector<double> folded_c = b.graph().values[node.inputs[2]].constant->ToDoubles();
  EXPECT_NEAR(folded_w[4], 5.0 * kBn.Scale(1), 1e-6);
  EXPECT_NEAR(folded_c[1], 2.0 * -1.0 * kBn.Scale(1) + kBn.Shift(1), 1e-6);
  EXPECT_FLOAT_EQ(ir::FloatAttribute(node, "beta", 0.0f), 1.0f);
}

TEST(BatchNormFolding, KeepsTheBatchNormWhenTheConvOutputHasAnotherReader) {
  GraphBuilder b;
  int x = b.Input("x", {1, 1, 4, 4});
  int conv = b.Node("Conv", {x, b.Constant("w", {2, 1, 1, 1}, {1, 1})}, {"conv"})[0];
  b.Output(AddBatchNorm(b, conv, kBn));
  b.Output(conv);
  EXPECT_EQ(FoldBatchNorms(b.graph()), 0);
  EXPECT_EQ(OpTypes(b.graph()), (std::vector<std::string>{"Conv", "BatchNormalization"}));
}

}  // namespace
}  // namespace vigil::passes
