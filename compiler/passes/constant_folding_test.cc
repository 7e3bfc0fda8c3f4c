#include <gtest/gtest.h>

#include "compiler/passes/graph_builder_for_tests.h"
#include "compiler/passes/passes.h"

namespace vigil::passes {
namespace {

using testing::GraphBuilder;
using testing::OpTypes;

// The flatten that PyTorch exports for x.view(x.size(0), -1):
// Shape -> Gather(0) -> Unsqueeze -> Concat([n], [-1]) -> Reshape.
TEST(ConstantFolding, FoldsTheShapeArithmeticOfAFlatten) {
  GraphBuilder b;
  int x = b.Input("x", {2, 3, 4});
  int shape = b.Node("Shape", {x}, {"shape"})[0];
  int batch =
      b.Node("Gather", {shape, b.graph().AddConstant("zero", ir::TensorData::FromInt64s({}, {0}))},
             {"n"})[0];
  int n = b.Node("Unsqueeze", {batch, b.ConstantInts("axes", {0})}, {"n1"})[0];
  int target = b.Node("Concat", {n, b.ConstantInts("minus_one", {-1})}, {"target"})[0];
  ir::SetIntAttribute(b.LastNode(), "axis", 0);
  int y = b.Node("Reshape", {x, target}, {"y"})[0];
  b.Output(y);

  EXPECT_EQ(FoldConstants(b.graph()), 4);
  EXPECT_EQ(OpTypes(b.graph()), std::vector<std::string>{"Reshape"});
  ASSERT_TRUE(b.graph().IsConstant(target));
  EXPECT_EQ(b.graph().values[target].constant->ToInt64s(), (std::vector<int64_t>{2, -1}));
}

TEST(ConstantFolding, EvaluatesArithmeticOnWeightsWithBroadcasting) {
  GraphBuilder b;
  int w = b.Constant("w", {2, 2}, {1, 2, 3, 4});
  int s = b.Constant("s", {2}, {10, 100});
  int scaled = b.Node("Mul", {w, s}, {"scaled"})[0];
  int x = b.Input("x", {2, 2});
  b.Output(b.Node("Add", {x, scaled}, {"y"})[0]);

  EXPECT_EQ(FoldConstants(b.graph()), 1);
  EXPECT_EQ(OpTypes(b.graph()), std::vector<std::string>{"Add"});
  EXPECT_EQ(b.graph().values[scaled].constant->ToFloats(), (std::vector<float>{10, 200, 30, 400}));
}

TEST(ConstantFolding, LeavesNodesWithRuntimeInputsAndUnknownOps) {
  GraphBuilder b;
  int x = b.Input("x", {4});
  int c = b.Constant("c", {4}, {1, 2, 3, 4});
  int e = b.Node("Erf", {c}, {"e"})[0];  // not an op the evaluator knows
  b.Output(b.Node("Add", {x, e}, {"y"})[0]);
  EXPECT_EQ(FoldConstants(b.graph()), 0);
  EXPECT_EQ(OpTypes(b.graph()), (std::vector<std::string>{"Erf", "Add"}));
}

TEST(ConstantFolding, ResolvesOnnxSliceRulesForNegativeAndOutOfRangeIndices) {
  GraphBuilder b;
  int data = b.graph().AddConstant("d", ir::TensorData::FromInt64s({6}, {0, 1, 2, 3, 4, 5}));
  int sliced = b.Node("Slice",
                      {data, b.ConstantInts("starts", {-1}), b.ConstantInts("ends", {-100}),
                       b.ConstantInts("axes", {0}), b.ConstantInts("steps", {-2})},
                      {"s"})[0];
  b.Output(sliced);
  FoldConstants(b.graph());
  ASSERT_TRUE(b.graph().IsConstant(sliced));
  // NumPy: np.arange(6)[-1:-100:-2] == [5, 3, 1]
  EXPECT_EQ(b.graph().values[sliced].constant->ToInt64s(), (std::vector<int64_t>{5, 3, 1}));
}

}  // namespace
}  // namespace vigil::passes
