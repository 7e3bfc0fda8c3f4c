#include "compiler/quant/quantizer.h"

#include <cmath>
#include <cstring>

#include "compiler/quant/quant_params.h"
#include "core/op_code.h"
#include "host/error.h"

namespace vigil::quant {
namespace {

using schema::DType;

// Builds the int8 model op by op, tracking for each float-model tensor its float and int8
// counterparts so each conversion is inserted once.
class Int8Builder {
 public:
  Int8Builder(const schema::ModelT& fp, const std::vector<TensorRange>& ranges)
      : fp_(fp),
        ranges_(ranges),
        float_of_(fp.tensors.size(), -1),
        int8_of_(fp.tensors.size(), -1) {
    q_ = std::make_unique<schema::ModelT>();
    if (fp.metadata) q_->metadata = std::make_unique<schema::MetadataT>(*fp.metadata);
  }

  void Run(const QuantizeOptions& options, QuantizedModel* out) {
    for (int32_t input : fp_.inputs) {
      float_of_[input] =
          AddTensor(Tensor(input).name, Tensor(input).shape, DType::Float32, nullptr);
      q_->inputs.push_back(float_of_[input]);
    }
    for (const auto& op : fp_.operators) {
      std::string reason =
          options.keep_fp32.count(op->name) ? "kept in float32 by --keep-fp32" : Int8Blocker(*op);
      if (reason.empty()) {
        EmitInt8(*op);
        ++out->int8_ops;
      } else {
        EmitFloat(*op);
        out->float_ops.push_back(op->name + " (" + kOpInfo[op->opcode].name + "): " + reason);
      }
    }
    for (int32_t output : fp_.outputs) {
      int t = float_of_[output];
      if (t < 0) {
        // The int8 tensor keeps the float name for reports; the float output keeps it for users.
        q_->tensors[static_cast<size_t>(int8_of_[output])]->name += "_int8";
        t = AddTensor(Tensor(output).name, Tensor(output).shape, DType::Float32, nullptr);
        Emit(OpCode::kDequantize, {int8_of_[output]}, {t}, {}, Tensor(output).name + "_dequantize");
        float_of_[output] = t;
      }
      q_->outputs.push_back(t);
    }
    out->int8_tensor_of = int8_of_;
    out->model = std::move(q_);
  }

 private:
  const schema::TensorT& Tensor(int t) const { return *fp_.tensors[static_cast<size_t>(t)]; }
  bool IsConstant(int t) const { return t >= 0 && Tensor(t).buffer >= 0; }

  std::vector<float> ConstantFloats(int t) const {
    const schema::Buffer& b = fp_.buffers[static_cast<size_t>(Tensor(t).buffer)];
    std::vector<float> v(b.size() / 4);
    if (!v.empty()) std::memcpy(v.data(), fp_.constant_data.data() + b.offset(), b.size());
    return v;
  }

  AffineQuant QuantOf(int t) const {
    if (IsConstant(t)) {
      std::vector<float> v = ConstantFloats(t);
      float lo = 0, hi = 0;
      for (float x : v)
        lo = std::min(lo, x), hi = std::max(hi, x);
      return ChooseActivationQuant(lo, hi);
    }
    const TensorRange& r = ranges_[static_cast<size_t>(t)];
    return ChooseActivationQuant(r.min, r.max);
  }

  int AddTensor(const std::string& name, const std::vector<int32_t>& shape, DType dtype,
                const AffineQuant* q, const std::vector<float>* per_channel_scales = nullptr,
                int axis = -1) {
    auto t = std::make_unique<schema::TensorT>();
    t->name = name;
    t->shape = shape;
    t->dtype = dtype;
    if (q || per_channel_scales) {
      t->quantization = std::make_unique<schema::QuantizationT>();
      if (per_channel_scales) {
        t->quantization->scale = *per_channel_scales;
        t->quantization->zero_point.assign(per_channel_scales->size(), 0);
        t->quantization->axis = per_channel_scales->size() > 1 ? axis : -1;
      } else {
        t->quantization->scale = {q->scale};
        t->quantization->zero_point = {q->zero_point};
      }
    }
    q_->tensors.push_back(std::move(t));
    return static_cast<int>(q_->tensors.size() - 1);
  }

  int AddConstant(int tensor, const void* data, size_t bytes) {
    auto& blob = q_->constant_data;
    blob.resize((blob.size() + 15) / 16 * 16);
    q_->buffers.emplace_back(blob.size(), bytes);
    const uint8_t* p = static_cast<const uint8_t*>(data);
    blob.insert(blob.end(), p, p + bytes);
    q_->tensors[static_cast<size_t>(tensor)]->buffer = static_cast<int32_t>(q_->buffers.size() - 1);
    return tensor;
  }

  void Emit(OpCode opcode, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
            schema::OpParamsUnion params, const std::string& name) {
    auto op = std::make_unique<schema::OperatorT>();
    op->opcode = static_cast<uint16_t>(opcode);
    op->inputs = std::move(inputs);
    op->outputs = std::move(outputs);
    op->params = std::move(params);
    op->name = name;
    q_->operators.push_back(std::move(op));
  }

  int FloatVersion(int t) {
    if (t < 0) return -1;
    if (float_of_[t] >= 0) return float_of_[t];
    if (IsConstant(t)) {
      std::vector<float> v = ConstantFloats(t);
      float_of_[t] =
          AddConstant(AddTensor(Tensor(t).name, Tensor(t).shape, DType::Float32, nullptr), v.data(),
                      v.size() * 4);
    } else {
      float_of_[t] =
          AddTensor(Tensor(t).name + "_dequantized", Tensor(t).shape, DType::Float32, nullptr);
      Emit(OpCode::kDequantize, {int8_of_[t]}, {float_of_[t]}, {}, Tensor(t).name + "_dequantize");
    }
    return float_of_[t];
  }

  int Int8Version(int t) {
    if (int8_of_[t] >= 0) return int8_of_[t];
    const AffineQuant q = QuantOf(t);
    if (IsConstant(t)) {
      std::vector<int8_t> v = QuantizeValues(ConstantFloats(t), q);
      int8_of_[t] = AddConstant(AddTensor(Tensor(t).name, Tensor(t).shape, DType::Int8, &q),
                                v.data(), v.size());
    } else {
      int8_of_[t] = AddTensor(Tensor(t).name, Tensor(t).shape, DType::Int8, &q);
      Emit(OpCode::kQuantize, {FloatVersion(t)}, {int8_of_[t]}, {}, Tensor(t).name + "_quantize");
    }
    return int8_of_[t];
  }

  // The parameters an int8 tensor of the new model actually carries: what kernels and tables must
  // be built for (a pass-through op's output carries its input's, not its own calibrated range).
  AffineQuant Int8Quant(int tensor) const {
    const auto& q = q_->tensors[static_cast<size_t>(tensor)]->quantization;
    return {q->scale[0], q->zero_point[0]};
  }

  int NewInt8Output(int t, AffineQuant q) {
    int8_of_[t] = AddTensor(Tensor(t).name, Tensor(t).shape, DType::Int8, &q);
    return int8_of_[t];
  }

  // Why an op cannot run in int8 ("" when it can).
  std::string Int8Blocker(const schema::OperatorT& op) const {
    switch (static_cast<OpCode>(op.opcode)) {
      case OpCode::kConv:
      case OpCode::kConvTranspose:
      case OpCode::kGemm:
        if (!IsConstant(op.inputs[1]) ||
            (op.inputs.size() > 2 && op.inputs[2] >= 0 && !IsConstant(op.inputs[2]))) {
          return "weights or bias are not constants";
        }
        if (static_cast<OpCode>(op.opcode) == OpCode::kGemm && op.inputs.size() > 2 &&
            op.inputs[2] >= 0) {
          const auto& c = Tensor(op.inputs[2]).shape;
          const int32_t n = Tensor(op.outputs[0]).shape[1];
          int64_t elements = 1;
          for (int32_t d : c)
            elements *= d;
          if (elements != n && elements != 1) return "Gemm's C is not a vector of output features";
        }
        return "";
      case OpCode::kPad:
        return op.params.AsPadParams()->mode == schema::PadMode::Constant &&
                       op.params.AsPadParams()->value != 0.0f
                   ? "constant padding with a non-zero value"
                   : "";
      case OpCode::kResize:
        return op.params.AsResizeParams()->mode == schema::ResizeMode::Linear &&
                       Tensor(op.inputs[0]).shape.size() > 4
                   ? "linear resize of rank over 4"
                   : "";
      case OpCode::kQuantize:
      case OpCode::kDequantize: return "already a boundary op";
      default: return "";
    }
  }

  void EmitFloat(const schema::OperatorT& op) {
    std::vector<int32_t> inputs;
    for (int32_t in : op.inputs)
      inputs.push_back(FloatVersion(in));
    std::vector<int32_t> outputs;
    for (int32_t out : op.outputs) {
      float_of_[out] = AddTensor(Tensor(out).name, Tensor(out).shape, DType::Float32, nullptr);
      outputs.push_back(float_of_[out]);
    }
    Emit(static_cast<OpCode>(op.opcode), inputs, outputs, op.params, op.name);
  }

  // The activation range before a LeakyRelu that an int8 op cannot fuse: the same positive side,
  // the negative side stretched back by 1 / alpha.
  AffineQuant PreLeakyReluQuant(int out, float alpha) const {
    const TensorRange& r = ranges_[static_cast<size_t>(out)];
    const float lo = alpha > 0 ? r.min / alpha : r.min;
    return ChooseActivationQuant(lo, r.max);
  }

  // Emits a weighted op (Conv, ConvTranspose, Gemm) with per-channel weights and an int32 bias.
  void EmitWeighted(const schema::OperatorT& op, int weight_axis, float weight_scale_factor,
                    float bias_factor) {
    const int x = Int8Version(op.inputs[0]);
    const AffineQuant xq = Int8Quant(x);
    const schema::TensorT& w = Tensor(op.inputs[1]);
    std::vector<float> weights = ConstantFloats(op.inputs[1]);
    for (float& v : weights)
      v *= weight_scale_factor;
    QuantizedWeights qw = QuantizeWeights(weights, w.shape, weight_axis);
    int w_tensor = AddTensor(w.name, w.shape, DType::Int8, nullptr, &qw.scales, weight_axis);
    AddConstant(w_tensor, qw.values.data(), qw.values.size());
    std::vector<int32_t> inputs = {x, w_tensor};
    if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
      const int32_t channels =
          Tensor(op.outputs[0]).shape[1];  // [N, M, ...] and Gemm's [M, N] alike
      std::vector<float> bias = ConstantFloats(op.inputs[2]);
      if (bias.size() == 1) bias.assign(static_cast<size_t>(channels), bias[0]);
      for (float& v : bias)
        v *= bias_factor;
      std::vector<int32_t> qb = QuantizeBias(bias, xq.scale, qw.scales);
      int b_tensor = AddTensor(Tensor(op.inputs[2]).name, {channels}, DType::Int32, nullptr);
      AddConstant(b_tensor, qb.data(), qb.size() * 4);
      inputs.push_back(b_tensor);
    }
    EmitWithActivation(op, inputs);
  }

  // Emits `op` in int8 with its fused activation: Relu and Clip become the output clamp; LeakyRelu
  // is split out into its own table op.
  void EmitWithActivation(const schema::OperatorT& op, const std::vector<int32_t>& inputs) {
    schema::OpParamsUnion params = op.params;
    schema::ActivationT* activation = nullptr;
    if (auto* p = params.AsConvParams()) activation = p->activation.get();
    if (auto* p = params.AsGemmParams()) activation = p->activation.get();
    if (auto* p = params.AsElementwiseParams()) activation = p->activation.get();
    if (auto* p = params.AsGemmParams()) p->alpha = p->beta = 1.0f;
    const int out = op.outputs[0];
    if (activation && activation->kind == schema::ActivationKind::LeakyRelu) {
      const float alpha = activation->alpha;
      activation->kind = schema::ActivationKind::None;
      const AffineQuant pre = PreLeakyReluQuant(out, alpha);
      const int pre_tensor =
          AddTensor(Tensor(out).name + "_pre_leaky_relu", Tensor(out).shape, DType::Int8, &pre);
      Emit(static_cast<OpCode>(op.opcode), inputs, {pre_tensor}, std::move(params), op.name);
      ActivationFunction f;
      f.kind = schema::ActivationKind::LeakyRelu;
      f.alpha = alpha;
      const AffineQuant post = QuantOf(out);
      schema::ActivationT leaky;
      leaky.kind = schema::ActivationKind::LeakyRelu;
      leaky.alpha = alpha;
      schema::OpParamsUnion u;
      u.Set(std::move(leaky));
      Emit(OpCode::kLeakyRelu, {pre_tensor, TableTensor(out, f, pre, post)},
           {NewInt8Output(out, post)}, std::move(u), op.name + "_leaky_relu");
      return;
    }
    Emit(static_cast<OpCode>(op.opcode), inputs, {NewInt8Output(out, QuantOf(out))},
         std::move(params), op.name);
  }

  int TableTensor(int out, const ActivationFunction& f, AffineQuant in, AffineQuant post) {
    std::vector<int8_t> table = ActivationTable(f, in, post);
    int t = AddTensor(Tensor(out).name + "_table", {256}, DType::Int8, &post);
    return AddConstant(t, table.data(), table.size());
  }

  void EmitInt8(const schema::OperatorT& op) {
    const OpCode opcode = static_cast<OpCode>(op.opcode);
    const int out = op.outputs[0];
    switch (opcode) {
      case OpCode::kConv: EmitWeighted(op, 0, 1.0f, 1.0f); return;
      case OpCode::kConvTranspose:
        EmitWeighted(op, op.params.AsConvParams()->group == 1 ? 1 : -1, 1.0f, 1.0f);
        return;
      case OpCode::kGemm: {
        const auto* p = op.params.AsGemmParams();
        EmitWeighted(op, p->trans_b ? 0 : 1, p->alpha, p->beta);
        return;
      }
      case OpCode::kAdd:
      case OpCode::kSub:
      case OpCode::kMul:
        EmitWithActivation(op, {Int8Version(op.inputs[0]), Int8Version(op.inputs[1])});
        return;
      case OpCode::kMatMul:
      case OpCode::kConcat: {
        std::vector<int32_t> inputs;
        for (int32_t in : op.inputs)
          inputs.push_back(Int8Version(in));
        Emit(opcode, inputs, {NewInt8Output(out, QuantOf(out))}, op.params, op.name);
        return;
      }
      case OpCode::kSigmoid:
      case OpCode::kTanh:
      case OpCode::kRelu:
      case OpCode::kClip:
      case OpCode::kLeakyRelu: {
        const int x = Int8Version(op.inputs[0]);
        const AffineQuant in = Int8Quant(x);
        ActivationFunction f;
        AffineQuant post = QuantOf(out);
        if (opcode == OpCode::kSigmoid) f.sigmoid = true, post = kUnitIntervalOutput;
        if (opcode == OpCode::kTanh) f.tanh = true, post = kTanhOutput;
        if (opcode == OpCode::kRelu) f.kind = schema::ActivationKind::Relu;
        if (const auto* a = op.params.AsActivation()) {
          f.kind = opcode == OpCode::kClip ? schema::ActivationKind::Clip
                                           : schema::ActivationKind::LeakyRelu;
          f.min = a->min;
          f.max = a->max;
          f.alpha = a->alpha;
        }
        Emit(opcode, {x, TableTensor(out, f, in, post)}, {NewInt8Output(out, post)}, op.params,
             op.name);
        return;
      }
      case OpCode::kSoftmax: {
        const int x = Int8Version(op.inputs[0]);
        std::vector<int32_t> table = SoftmaxExpTable(Int8Quant(x).scale);
        int t = AddTensor(Tensor(out).name + "_exp_table", {256}, DType::Int32, nullptr);
        AddConstant(t, table.data(), table.size() * 4);
        Emit(opcode, {x, t}, {NewInt8Output(out, kUnitIntervalOutput)}, op.params, op.name);
        return;
      }
      default: {
        // Pools, Resize and the layout ops pass their input's parameters through.
        const int x = Int8Version(op.inputs[0]);
        Emit(opcode, {x}, {NewInt8Output(out, Int8Quant(x))}, op.params, op.name);
        return;
      }
    }
  }

  const schema::ModelT& fp_;
  const std::vector<TensorRange>& ranges_;
  std::unique_ptr<schema::ModelT> q_;
  std::vector<int> float_of_, int8_of_;
};

}  // namespace

QuantizedModel QuantizeModel(const schema::ModelT& fp32, const std::vector<TensorRange>& ranges,
                             const QuantizeOptions& options) {
  if (ranges.size() != fp32.tensors.size())
    throw HostError("quantize: one range per tensor is needed");
  for (const std::string& name : options.keep_fp32) {
    bool found = false;
    for (const auto& op : fp32.operators)
      found = found || op->name == name;
    if (!found)
      throw HostError("--keep-fp32 names '" + name + "', which is not an op of the model");
  }
  QuantizedModel out;
  Int8Builder(fp32, ranges).Run(options, &out);
  return out;
}

}  // namespace vigil::quant
