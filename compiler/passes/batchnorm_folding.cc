#include <cmath>
#include <functional>
#include <optional>

#include "compiler/ir/attributes.h"
#include "compiler/passes/passes.h"
#include "host/error.h"

namespace vigil::passes {
namespace {

// Per-channel y = x * scale + shift equivalent of an inference BatchNormalization.
struct ChannelAffine {
  std::vector<double> scale, shift;
};

std::optional<ChannelAffine> ReadBatchNorm(const ir::Graph& graph, const ir::Node& bn) {
  if (bn.inputs.size() < 5 || (bn.outputs.size() > 1 && bn.outputs[1] >= 0) ||
      ir::IntAttribute(bn, "training_mode", 0) != 0) {
    return std::nullopt;
  }
  for (int k = 1; k < 5; ++k) {
    if (!graph.IsConstant(bn.inputs[k])) return std::nullopt;
  }
  std::vector<double> gamma = graph.values[bn.inputs[1]].constant->ToDoubles();
  std::vector<double> beta = graph.values[bn.inputs[2]].constant->ToDoubles();
  std::vector<double> mean = graph.values[bn.inputs[3]].constant->ToDoubles();
  std::vector<double> var = graph.values[bn.inputs[4]].constant->ToDoubles();
  const double epsilon = ir::FloatAttribute(bn, "epsilon", 1e-5f);
  ChannelAffine affine;
  for (size_t c = 0; c < gamma.size(); ++c) {
    double s = gamma[c] / std::sqrt(var.at(c) + epsilon);
    affine.scale.push_back(s);
    affine.shift.push_back(beta.at(c) - mean.at(c) * s);
  }
  return affine;
}

// Scales the weights of output channel `channel(i)` for every weight element i, and folds the shift
// into the bias. Returns false if the shapes do not fit (the pass then leaves the pair alone).
bool FoldInto(ir::Graph& graph, ir::Node& producer, const ChannelAffine& bn) {
  const int w_id = producer.inputs.at(1);
  std::vector<int64_t> w_shape = graph.values[w_id].shape;
  std::vector<double> w = graph.values[w_id].constant->ToDoubles();
  const size_t channels = bn.scale.size();
  std::function<size_t(size_t)> channel_of;
  if (producer.op_type == "Conv") {
    if (static_cast<size_t>(w_shape[0]) != channels) return false;
    const size_t per_channel = w.size() / channels;
    channel_of = [per_channel](size_t i) { return i / per_channel; };
  } else if (producer.op_type == "ConvTranspose") {
    const size_t group = static_cast<size_t>(ir::IntAttribute(producer, "group", 1));
    const size_t in_channels = static_cast<size_t>(w_shape[0]),
                 out_per_group = static_cast<size_t>(w_shape[1]);
    if (out_per_group * group != channels) return false;
    const size_t kernel = w.size() / (in_channels * out_per_group);
    const size_t in_per_group = in_channels / group;
    channel_of = [=](size_t i) {
      size_t c_in = i / (out_per_group * kernel), m = (i / kernel) % out_per_group;
      return (c_in / in_per_group) * out_per_group + m;
    };
  } else {  // Gemm: out features are B's columns (rows when transB)
    const bool trans_b = ir::IntAttribute(producer, "transB", 0) != 0;
    const size_t n = static_cast<size_t>(trans_b ? w_shape[0] : w_shape[1]);
    if (n != channels || ir::IntAttribute(producer, "transA", 0) != 0) return false;
    channel_of = [=](size_t i) { return trans_b ? i / static_cast<size_t>(w_shape[1]) : i % n; };
  }
  // Gemm: y = alpha * A B' + beta * C, so BN(y) = alpha * A (B' diag(s)) + (beta * C * s + t) with
  // the new bias entering at beta = 1. Conv and ConvTranspose: b' = b * s + t.
  const double beta = producer.op_type == "Gemm" ? ir::FloatAttribute(producer, "beta", 1.0f) : 1.0;
  std::vector<double> bias(channels, 0.0);
  if (producer.inputs.size() > 2 && producer.inputs[2] >= 0) {
    if (!graph.IsConstant(producer.inputs[2])) return false;
    std::vector<double> b = graph.values[producer.inputs[2]].constant->ToDoubles();
    if (b.size() != channels && b.size() != 1) return false;
    for (size_t c = 0; c < channels; ++c)
      bias[c] = beta * b[b.size() == 1 ? 0 : c];
  }
  for (size_t i = 0; i < w.size(); ++i)
    w[i] *= bn.scale[channel_of(i)];
  for (size_t c = 0; c < channels; ++c)
    bias[c] = bias[c] * bn.scale[c] + bn.shift[c];
  if (producer.op_type == "Gemm") {
    onnx::AttributeProto unit_beta;
    unit_beta.set_name("beta");
    unit_beta.set_type(onnx::AttributeProto::FLOAT);
    unit_beta.set_f(1.0f);
    producer.attributes["beta"] = unit_beta;
  }
  const ir::ElementType type = graph.values[w_id].type;
  producer.inputs[1] = graph.AddConstant(graph.values[w_id].name + "_bn",
                                         ir::TensorData::FromDoubles(type, w_shape, w));
  int bias_id =
      graph.AddConstant(producer.name + "_bias_bn",
                        ir::TensorData::FromDoubles(type, {static_cast<int64_t>(channels)}, bias));
  if (producer.inputs.size() > 2)
    producer.inputs[2] = bias_id;
  else
    producer.inputs.push_back(bias_id);
  return true;
}

}  // namespace

int FoldBatchNorms(ir::Graph& graph) {
  int folded = 0;
  for (size_t i = 0; i < graph.nodes.size();) {
    ir::Node& bn = graph.nodes[i];
    if (bn.op_type != "BatchNormalization" || !bn.domain.empty() || bn.inputs.empty()) {
      ++i;
      continue;
    }
    const int x = bn.inputs[0];
    const int producer_index = graph.Producer(x);
    std::optional<ChannelAffine> affine = ReadBatchNorm(graph, bn);
    if (producer_index < 0 || !affine || graph.Consumers(x).size() != 1 || graph.IsGraphOutput(x)) {
      ++i;
      continue;
    }
    ir::Node& producer = graph.nodes[static_cast<size_t>(producer_index)];
    const bool foldable_op = producer.op_type == "Conv" || producer.op_type == "ConvTranspose" ||
                             producer.op_type == "Gemm";
    if (!foldable_op || producer.activation.kind != ir::ActivationKind::kNone ||
        producer.inputs.size() < 2 || !graph.IsConstant(producer.inputs[1]) ||
        !FoldInto(graph, producer, *affine)) {
      ++i;
      continue;
    }
    const int out = bn.outputs[0];
    if (graph.IsGraphOutput(out)) {
      graph.values[x].name = graph.values[out].name;
      graph.values[out].name += "__folded_batchnorm";
    }
    graph.ReplaceAllUses(out, x);
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(i));
    ++folded;
  }
  return folded;
}

}  // namespace vigil::passes
