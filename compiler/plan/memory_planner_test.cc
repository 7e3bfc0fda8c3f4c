#include "compiler/plan/memory_planner.h"

#include <gtest/gtest.h>

#include <random>

#include "compiler/emit/model_file_writer.h"
#include "testing/op_test_model.h"

namespace vigil {
namespace {

using testing::OpTestModel;

uint64_t Bytes(const schema::TensorT& t) {
  uint64_t n = 4;
  for (int32_t d : t.shape)
    n *= static_cast<uint64_t>(d);
  return n;
}

TEST(MemoryPlanner, AChainPingPongsBetweenTwoBuffers) {
  OpTestModel m;
  int x = m.Input({1, 16});
  int a = m.Intermediate({1, 16}), b = m.Intermediate({1, 16}), c = m.Intermediate({1, 16});
  int y = m.Output({1, 16});
  m.AddOp(OpCode::kSoftmax, {x}, {a}, testing::AxisParams(1));
  m.AddOp(OpCode::kSoftmax, {a}, {b}, testing::AxisParams(1));
  m.AddOp(OpCode::kSoftmax, {b}, {c}, testing::AxisParams(1));
  m.AddOp(OpCode::kSoftmax, {c}, {y}, testing::AxisParams(1));
  MemoryPlanStats stats = PlanMemory(m.model());
  EXPECT_EQ(stats.activation_bytes, 128u);  // two 64-byte tensors live at any time
  EXPECT_EQ(stats.sum_of_tensor_bytes, 5u * 64u);
  EXPECT_EQ(stats.in_place_ops, 0);
}

TEST(MemoryPlanner, ElementwiseOpsRunInPlaceButNeverOverAGraphInput) {
  OpTestModel m;
  int x = m.Input({1, 16});
  int a = m.Intermediate({1, 16}), b = m.Intermediate({1, 16});
  int y = m.Output({1, 16});
  m.AddOp(OpCode::kRelu, {x}, {a});  // x is a graph input: not overwritten
  m.AddOp(OpCode::kSigmoid, {a}, {b});
  m.AddOp(OpCode::kTanh, {b}, {y});
  MemoryPlanStats stats = PlanMemory(m.model());
  EXPECT_EQ(stats.in_place_ops, 2);
  const auto& t = m.model().tensors;
  EXPECT_NE(t[x]->arena_offset, t[a]->arena_offset);
  EXPECT_EQ(t[a]->arena_offset, t[b]->arena_offset);
  EXPECT_EQ(t[b]->arena_offset, t[y]->arena_offset);
  EXPECT_EQ(stats.activation_bytes, 128u);
  // The runtime's verifier, an independent check of the plan, accepts the in-place aliases.
  EXPECT_NO_THROW(m.Build());
}

// Random DAGs of elementwise ops: every pair of tensors live at once must have disjoint bytes
// (except an in-place output over its dying input 0), the arena must end at the highest tensor,
// and the runtime must accept the file.
TEST(MemoryPlanner, RandomGraphsNeverOverlapLiveTensors) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 50; ++trial) {
    OpTestModel m;
    std::vector<int> live = {m.Input({1, 8})};
    const int ops = 3 + static_cast<int>(rng() % 12);
    for (int i = 0; i < ops; ++i) {
      int a = live[rng() % live.size()], b = live[rng() % live.size()];
      int out = i + 1 == ops ? m.Output({1, 8}) : m.Intermediate({1, 8});
      switch (rng() % 3) {
        case 0: m.AddOp(OpCode::kAdd, {a, b}, {out}, testing::ElementwiseParams()); break;
        case 1: m.AddOp(OpCode::kRelu, {a}, {out}); break;
        default: m.AddOp(OpCode::kSoftmax, {a}, {out}, testing::AxisParams(1)); break;
      }
      live.push_back(out);
    }
    MemoryPlanStats stats = PlanMemory(m.model());
    const auto& tensors = m.model().tensors;
    const auto& operators = m.model().operators;
    // Lifetimes, computed here independently of the planner.
    std::vector<int> first(tensors.size(), 1 << 30), last(tensors.size(), -1);
    first[m.model().inputs[0]] = -1;
    last[m.model().inputs[0]] = -1;
    for (size_t i = 0; i < operators.size(); ++i) {
      for (int32_t in : operators[i]->inputs)
        last[in] = std::max(last[in], static_cast<int>(i));
      for (int32_t out : operators[i]->outputs)
        first[out] = std::min(first[out], static_cast<int>(i)),
        last[out] = std::max(last[out], static_cast<int>(i));
    }
    last[m.model().outputs[0]] = static_cast<int>(operators.size());
    uint64_t highest = 0;
    for (size_t p = 0; p < tensors.size(); ++p) {
      if (first[p] == (1 << 30)) continue;
      highest =
          std::max(highest, static_cast<uint64_t>(tensors[p]->arena_offset) + Bytes(*tensors[p]));
      for (size_t q = p + 1; q < tensors.size(); ++q) {
        if (first[q] == (1 << 30) || last[p] < first[q] || last[q] < first[p]) continue;
        uint64_t p0 = tensors[p]->arena_offset, p1 = p0 + Bytes(*tensors[p]);
        uint64_t q0 = tensors[q]->arena_offset, q1 = q0 + Bytes(*tensors[q]);
        bool overlap = p0 < q1 && q0 < p1;
        bool in_place = p0 == q0 && (last[p] == first[q] || last[q] == first[p]);
        EXPECT_TRUE(!overlap || in_place) << "trial " << trial << ": tensors " << p << " and " << q;
      }
    }
    EXPECT_EQ(stats.activation_bytes, highest) << "trial " << trial;
    EXPECT_LE(stats.activation_bytes, stats.sum_of_tensor_bytes);
    EXPECT_NO_THROW(m.Build()) << "trial " << trial;
  }
}

}  // namespace
}  // namespace vigil
