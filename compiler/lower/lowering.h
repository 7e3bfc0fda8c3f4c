// Lowering: each ONNX node of the optimised graph becomes one or more Vigil ops in the model
// object tree (runtime/schema/vgl.fbs). The lowering table has one entry per op of runtime/ops.def
// (`Lower<Op>`, a link error if missing) plus the ONNX ops that map onto them (Flatten, Squeeze,
// Unsqueeze and Identity onto Reshape; Upsample onto Resize; a BatchNormalization that could not be
// folded onto Mul + Add). An op outside the table is an error naming op and node.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/graph.h"
#include "core/op_code.h"
#include "vgl_generated.h"

namespace vigil::lower {

class LoweringContext {
 public:
  LoweringContext(const ir::Graph& graph, schema::ModelT& model);

  const ir::Graph& graph() const { return graph_; }
  const ir::Node& node() const { return *node_; }
  void set_node(const ir::Node* node) { node_ = node; }

  bool HasInput(size_t k) const { return k < node_->inputs.size() && node_->inputs[k] >= 0; }
  const ir::Value& InputValue(size_t k) const;
  const ir::Value& OutputValue(size_t k) const;
  // A parameter input that must be known at compile time (ONNX passes many as inputs).
  const ir::TensorData& ConstantInput(size_t k, const std::string& what) const;
  // Model tensor of the node's k-th input/output (created on first use).
  int Input(size_t k);
  int Output(size_t k);
  // Model tensor of an IR value.
  int Tensor(int value);
  int NewConstant(const std::string& name, const ir::TensorData& data);
  int NewIntermediate(const std::string& name, const std::vector<int64_t>& shape);
  void Emit(OpCode opcode, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
            schema::OpParamsUnion params = {}, const std::string& suffix = "");
  // The node's fused activation in model-file form.
  std::unique_ptr<schema::ActivationT> Activation() const;
  // "node 'conv1' (Conv): <message>", or the message alone while no node is being lowered.
  [[noreturn]] void Fail(const std::string& message) const;

 private:
  const ir::Graph& graph_;
  schema::ModelT& model_;
  const ir::Node* node_ = nullptr;
  std::map<int, int> tensor_of_value_;
};

using LowerFn = void (*)(LoweringContext&);

#define VIGIL_OP(name, params, min_inputs, max_inputs, outputs, in_place) \
  void Lower##name(LoweringContext& ctx);
#include "ops.def"
#undef VIGIL_OP
void LowerBatchNormalization(LoweringContext& ctx);
void LowerDropout(LoweringContext& ctx);

// The ONNX op types the compiler accepts, for messages and the conformance report.
std::vector<std::string> SupportedOnnxOps();

// Lowers every node, sets graph inputs/outputs and their names. Throws HostError naming the first
// unsupported op and node.
void LowerGraph(const ir::Graph& graph, schema::ModelT& model);

// Helpers shared by the lowering files.
std::vector<int32_t> ToInt32(const std::vector<int64_t>& values, const LoweringContext& ctx);
int64_t NormalizeAxis(int64_t axis, int64_t rank, const LoweringContext& ctx);

}  // namespace vigil::lower
