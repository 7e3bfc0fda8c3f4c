#include "compiler/plan/memory_planner.h"

#include <algorithm>
#include <climits>
#include <numeric>
#include <vector>

#include "core/op_code.h"
#include "host/error.h"

namespace vigil {
namespace {

uint64_t TensorBytes(const schema::TensorT& t) {
  uint64_t n = t.dtype == schema::DType::Int8 ? 1 : 4;
  for (int32_t d : t.shape)
    n *= static_cast<uint64_t>(d);
  return n;
}

constexpr uint64_t kAlignment = 16;

struct Group {
  int32_t first = INT32_MAX, last = INT32_MIN;
  uint64_t bytes = 0;
  uint64_t offset = 0;
  bool placed = false;
};

}  // namespace

MemoryPlanStats PlanMemory(schema::ModelT& model) {
  const size_t tensor_count = model.tensors.size();
  const int32_t op_count = static_cast<int32_t>(model.operators.size());
  std::vector<int32_t> first(tensor_count, INT32_MAX), last(tensor_count, INT32_MIN);
  std::vector<bool> is_graph_input(tensor_count), is_graph_output(tensor_count);
  auto planned = [&](int32_t t) {
    return t >= 0 && model.tensors[static_cast<size_t>(t)]->buffer < 0;
  };
  for (int32_t t : model.inputs) {
    first[t] = -1;
    last[t] = -1;
    is_graph_input[t] = true;
  }
  for (int32_t i = 0; i < op_count; ++i) {
    const schema::OperatorT& op = *model.operators[static_cast<size_t>(i)];
    for (int32_t t : op.inputs) {
      if (planned(t)) last[t] = std::max(last[t], i);
    }
    for (int32_t t : op.outputs) {
      first[t] = std::min(first[t], i);
      last[t] = std::max(last[t], i);
    }
  }
  for (int32_t t : model.outputs) {
    last[t] = op_count;
    is_graph_output[t] = true;
  }

  // Union tensors written in place into groups that share one buffer.
  std::vector<size_t> group_of(tensor_count);
  std::iota(group_of.begin(), group_of.end(), 0);
  MemoryPlanStats stats;
  for (int32_t i = 0; i < op_count; ++i) {
    const schema::OperatorT& op = *model.operators[static_cast<size_t>(i)];
    if (!kOpInfo[op.opcode].in_place || op.inputs.empty() || op.outputs.empty()) continue;
    int32_t in = op.inputs[0], out = op.outputs[0];
    if (!planned(in) || is_graph_input[in] || last[in] != i || first[out] != i) continue;
    if (TensorBytes(*model.tensors[in]) != TensorBytes(*model.tensors[out])) continue;
    // The input must not also be read by this op through another slot after being overwritten;
    // elementwise ops read each element before writing it, so a second slot is still safe.
    group_of[out] = group_of[in];
    ++stats.in_place_ops;
  }

  std::vector<Group> groups(tensor_count);
  for (size_t t = 0; t < tensor_count; ++t) {
    if (!planned(static_cast<int32_t>(t))) continue;
    if (first[t] == INT32_MAX) {
      throw HostError("memory plan: tensor '" + model.tensors[t]->name +
                      "' is neither a graph input nor written by an op");
    }
    Group& g = groups[group_of[t]];
    g.first = std::min(g.first, first[t]);
    g.last = std::max(g.last, last[t]);
    g.bytes = std::max(g.bytes, TensorBytes(*model.tensors[t]));
    stats.sum_of_tensor_bytes += TensorBytes(*model.tensors[t]);
  }

  std::vector<size_t> order;
  for (size_t g = 0; g < tensor_count; ++g) {
    if (groups[g].first != INT32_MAX) order.push_back(g);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (groups[a].bytes != groups[b].bytes) return groups[a].bytes > groups[b].bytes;
    return groups[a].first < groups[b].first;
  });
  std::vector<size_t> placed;
  for (size_t g : order) {
    Group& group = groups[g];
    // Byte ranges of already placed groups whose lifetimes overlap this one, by offset.
    std::vector<std::pair<uint64_t, uint64_t>> busy;
    for (size_t other : placed) {
      const Group& o = groups[other];
      if (o.last < group.first || group.last < o.first || o.bytes == 0) continue;
      busy.push_back({o.offset, o.offset + o.bytes});
    }
    std::sort(busy.begin(), busy.end());
    uint64_t offset = 0;
    for (const auto& [begin, end] : busy) {
      if (group.bytes == 0 || offset + group.bytes <= begin) break;
      offset = std::max(offset, (end + kAlignment - 1) / kAlignment * kAlignment);
    }
    group.offset = offset;
    group.placed = true;
    placed.push_back(g);
    if (group.bytes > 0)
      stats.activation_bytes = std::max(stats.activation_bytes, offset + group.bytes);
  }
  for (size_t t = 0; t < tensor_count; ++t) {
    if (planned(static_cast<int32_t>(t)))
      model.tensors[t]->arena_offset = static_cast<int64_t>(groups[group_of[t]].offset);
  }
  model.activation_bytes = stats.activation_bytes;
  return stats;
}

}  // namespace vigil
