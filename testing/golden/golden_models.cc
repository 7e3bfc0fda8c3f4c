#include "testing/golden/golden_models.h"

#include <cstring>

#include "host/error.h"
#include "testing/golden/kernels/add_golden.h"
#include "testing/golden/kernels/average_pool_golden.h"
#include "testing/golden/kernels/clip_golden.h"
#include "testing/golden/kernels/concat_golden.h"
#include "testing/golden/kernels/conv_golden.h"
#include "testing/golden/kernels/conv_transpose_golden.h"
#include "testing/golden/kernels/dequantize_golden.h"
#include "testing/golden/kernels/gemm_golden.h"
#include "testing/golden/kernels/global_average_pool_golden.h"
#include "testing/golden/kernels/leaky_relu_golden.h"
#include "testing/golden/kernels/mat_mul_golden.h"
#include "testing/golden/kernels/max_pool_golden.h"
#include "testing/golden/kernels/mul_golden.h"
#include "testing/golden/kernels/pad_golden.h"
#include "testing/golden/kernels/quantize_golden.h"
#include "testing/golden/kernels/relu_golden.h"
#include "testing/golden/kernels/resize_golden.h"
#include "testing/golden/kernels/sigmoid_golden.h"
#include "testing/golden/kernels/slice_golden.h"
#include "testing/golden/kernels/softmax_golden.h"
#include "testing/golden/kernels/sub_golden.h"
#include "testing/golden/kernels/tanh_golden.h"
#include "testing/golden/kernels/transpose_golden.h"
#include "testing/golden/models/ecg_cnn_golden.h"
#include "testing/golden/models/tiny_unet_golden.h"

namespace vigil::testing::golden {
namespace {

template <typename T>
schema::OpParamsUnion Union(T table) {
  schema::OpParamsUnion u;
  u.Set(std::move(table));
  return u;
}

// A graph input of `dtype`; int8 tensors are quantized with `scale` and `zero_point`.
int AddInput(GoldenModel& m, const Tensor& t, schema::DType dtype = schema::DType::Float32,
             int zero_point = 0, float scale = 1.0f) {
  int index = m.model->Input(t.shape, dtype);
  if (dtype == schema::DType::Int8) m.model->Quantize(index, {scale}, {zero_point});
  m.inputs.push_back(t.values);
  m.input_dtype = dtype;
  return index;
}

int AddOutput(GoldenModel& m, const Tensor& t, schema::DType dtype = schema::DType::Float32,
              int zero_point = 0, float scale = 1.0f) {
  int index = m.model->Output(t.shape, dtype);
  if (dtype == schema::DType::Int8) m.model->Quantize(index, {scale}, {zero_point});
  m.expected = &t;
  m.dtype = dtype;
  m.op_output = index;
  return index;
}

// Input 0 of the op under test, routed through a Reshape copy for in-place runs.
int AddOpInput(GoldenModel& m, const Tensor& t, Routing routing) {
  int input = AddInput(m, t);
  if (routing == Routing::kDirect) return m.op_input = input;
  m.op_input = m.model->Intermediate(t.shape);
  m.model->AddOp(OpCode::kReshape, {input}, {m.op_input});
  return m.op_input;
}

std::vector<uint8_t> ToBytes(const std::vector<float>& values, schema::DType dtype) {
  std::vector<uint8_t> bytes(values.size() * (dtype == schema::DType::Int8 ? 1 : 4));
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == schema::DType::Int8) {
      bytes[i] = static_cast<uint8_t>(static_cast<int8_t>(values[i]));
    } else if (dtype == schema::DType::Int32) {
      int32_t v = static_cast<int32_t>(values[i]);
      std::memcpy(&bytes[i * 4], &v, 4);
    } else {
      std::memcpy(&bytes[i * 4], &values[i], 4);
    }
  }
  return bytes;
}

std::vector<float> FromBytes(const std::vector<uint8_t>& bytes, schema::DType dtype) {
  const size_t width = dtype == schema::DType::Int8 ? 1 : 4;
  std::vector<float> values(bytes.size() / width);
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == schema::DType::Int8) {
      values[i] = static_cast<int8_t>(bytes[i]);
    } else if (dtype == schema::DType::Int32) {
      int32_t v;
      std::memcpy(&v, &bytes[i * 4], 4);
      values[i] = static_cast<float>(v);
    } else {
      std::memcpy(&values[i], &bytes[i * 4], 4);
    }
  }
  return values;
}

}  // namespace

std::unique_ptr<schema::ActivationT> ActivationOf(const Activation& a) {
  auto t = std::make_unique<schema::ActivationT>();
  t->kind = a.kind;
  t->min = a.min;
  t->max = a.max;
  t->alpha = a.alpha;
  return t;
}

schema::OpParamsUnion ConvParamsOf(const ConvCase& c) {
  schema::ConvParamsT p;
  p.strides = c.strides;
  p.pads = c.pads;
  p.dilations = c.dilations;
  p.group = c.group;
  p.output_padding = c.output_padding;
  p.activation = ActivationOf(c.activation);
  return Union(std::move(p));
}

schema::OpParamsUnion PoolParamsOf(const PoolCase& c) {
  schema::PoolParamsT p;
  p.kernel = c.kernel;
  p.strides = c.strides;
  p.pads = c.pads;
  p.dilations = c.dilations;
  p.count_include_pad = c.count_include_pad;
  return Union(std::move(p));
}

GoldenModel ConvModel(const ConvCase& c, OpCode opcode) {
  GoldenModel m;
  std::vector<int> inputs = {AddOpInput(m, c.x, Routing::kDirect),
                             m.model->Constant(c.w.shape, c.w.values)};
  if (c.bias.present()) inputs.push_back(m.model->Constant(c.bias.shape, c.bias.values));
  m.model->AddOp(opcode, inputs, {AddOutput(m, c.y)}, ConvParamsOf(c), c.name);
  return m;
}

GoldenModel PoolModel(const PoolCase& c, OpCode opcode) {
  GoldenModel m;
  m.model->AddOp(opcode, {AddOpInput(m, c.x, Routing::kDirect)}, {AddOutput(m, c.y)},
                 PoolParamsOf(c), c.name);
  return m;
}

GoldenModel UnaryModel(const UnaryCase& c, OpCode opcode, Routing routing) {
  GoldenModel m;
  schema::OpParamsUnion params;
  if (kOpInfo[static_cast<int>(opcode)].params == schema::OpParams::Activation) {
    schema::ActivationT a = *ActivationOf(c.params);
    params = Union(std::move(a));
  }
  int x = AddOpInput(m, c.x, routing);
  m.model->AddOp(opcode, {x}, {AddOutput(m, c.y)}, std::move(params), c.name);
  return m;
}

GoldenModel BinaryModel(const BinaryCase& c, OpCode opcode, Routing routing) {
  GoldenModel m;
  int a = AddOpInput(m, c.a, routing);
  int b = c.b_constant ? m.model->Constant(c.b.shape, c.b.values) : AddInput(m, c.b);
  schema::ElementwiseParamsT p;
  p.activation = ActivationOf(c.activation);
  m.model->AddOp(opcode, {a, b}, {AddOutput(m, c.y)}, Union(std::move(p)), c.name);
  return m;
}

GoldenModel GemmModel(const GemmCase& c) {
  GoldenModel m;
  std::vector<int> inputs = {AddOpInput(m, c.a, Routing::kDirect),
                             m.model->Constant(c.b.shape, c.b.values)};
  if (c.c.present()) inputs.push_back(m.model->Constant(c.c.shape, c.c.values));
  schema::GemmParamsT p;
  p.alpha = c.alpha;
  p.beta = c.beta;
  p.trans_a = c.trans_a;
  p.trans_b = c.trans_b;
  p.activation = ActivationOf(c.activation);
  m.model->AddOp(OpCode::kGemm, inputs, {AddOutput(m, c.y)}, Union(std::move(p)), c.name);
  return m;
}

GoldenModel MatMulModel(const MatMulCase& c) {
  GoldenModel m;
  int a = AddOpInput(m, c.a, Routing::kDirect);
  int b = c.b_constant ? m.model->Constant(c.b.shape, c.b.values) : AddInput(m, c.b);
  m.model->AddOp(OpCode::kMatMul, {a, b}, {AddOutput(m, c.y)}, {}, c.name);
  return m;
}

GoldenModel SoftmaxModel(const SoftmaxCase& c) {
  GoldenModel m;
  m.model->AddOp(OpCode::kSoftmax, {AddOpInput(m, c.x, Routing::kDirect)}, {AddOutput(m, c.y)},
                 AxisParams(c.axis), c.name);
  return m;
}

GoldenModel ResizeModel(const ResizeCase& c) {
  GoldenModel m;
  schema::ResizeParamsT p;
  p.mode = c.mode;
  p.coordinate_transform = c.transform;
  p.nearest_rounding = c.rounding;
  p.scales = c.scales;
  m.model->AddOp(OpCode::kResize, {AddOpInput(m, c.x, Routing::kDirect)}, {AddOutput(m, c.y)},
                 Union(std::move(p)), c.name);
  return m;
}

GoldenModel QuantizeModel(const QuantizeCase& c) {
  GoldenModel m;
  m.op_input = AddInput(m, c.x);
  m.model->AddOp(OpCode::kQuantize, {m.op_input},
                 {AddOutput(m, c.y, schema::DType::Int8, c.zero_point, c.scale)}, {}, c.name);
  return m;
}

GoldenModel DequantizeModel(const QuantizeCase& c) {
  GoldenModel m;
  m.op_input = AddInput(m, c.x, schema::DType::Int8, c.zero_point, c.scale);
  m.model->AddOp(OpCode::kDequantize, {m.op_input}, {AddOutput(m, c.y)}, {}, c.name);
  return m;
}

GoldenModel ConcatModel(const ConcatCase& c, schema::DType dtype) {
  GoldenModel m;
  std::vector<int> inputs;
  for (const Tensor& t : c.inputs)
    inputs.push_back(AddInput(m, t, dtype));
  m.op_input = inputs[0];
  m.model->AddOp(OpCode::kConcat, inputs, {AddOutput(m, c.y, dtype)}, AxisParams(c.axis), c.name);
  return m;
}

GoldenModel TransposeModel(const TransposeCase& c, schema::DType dtype) {
  GoldenModel m;
  m.op_input = AddInput(m, c.x, dtype);
  schema::TransposeParamsT p;
  p.perm = c.perm;
  m.model->AddOp(OpCode::kTranspose, {m.op_input}, {AddOutput(m, c.y, dtype)}, Union(std::move(p)),
                 c.name);
  return m;
}

GoldenModel PadModel(const PadCase& c, schema::DType dtype) {
  GoldenModel m;
  const int zero_point = static_cast<int>(c.value);
  m.op_input = AddInput(m, c.x, dtype, zero_point);
  schema::PadParamsT p;
  p.pads = c.pads;
  p.mode = c.mode;
  // An int8 Pad fills with its zero point, real 0 (which carries the golden's raw fill value here).
  p.value = dtype == schema::DType::Int8 ? 0.0f : c.value;
  m.model->AddOp(OpCode::kPad, {m.op_input}, {AddOutput(m, c.y, dtype, zero_point)},
                 Union(std::move(p)), c.name);
  return m;
}

GoldenModel SliceModel(const SliceCase& c, schema::DType dtype) {
  GoldenModel m;
  m.op_input = AddInput(m, c.x, dtype);
  schema::SliceParamsT p;
  p.starts = c.starts;
  p.steps = c.steps;
  m.model->AddOp(OpCode::kSlice, {m.op_input}, {AddOutput(m, c.y, dtype)}, Union(std::move(p)),
                 c.name);
  return m;
}

namespace {

int Weight(OpTestModel& m, const Tensor& t) {
  return m.Constant(t.shape, t.values);
}

// A conv of the whole models: pads on every side, optional fused Relu, optional stride.
void AddConv(OpTestModel& m, int x, const Tensor& w, const Tensor& b, int y, int pad, bool relu,
             int stride = 1, int spatial = 2) {
  std::vector<int32_t> strides(static_cast<size_t>(spatial), stride),
      ones(static_cast<size_t>(spatial), 1);
  std::vector<int32_t> pads(static_cast<size_t>(2 * spatial), pad);
  m.AddOp(OpCode::kConv, {x, Weight(m, w), Weight(m, b)}, {y},
          ConvParams(strides, pads, ones, 1, {},
                     relu ? schema::ActivationKind::Relu : schema::ActivationKind::None));
}

}  // namespace

GoldenModel TinyUNetModel(const TinyUNetCase& c) {
  GoldenModel m;
  OpTestModel& g = *m.model;
  const int x = AddInput(m, c.x);
  const int e1 = g.Intermediate({1, 4, 8, 8}), p1 = g.Intermediate({1, 4, 4, 4}),
            e2 = g.Intermediate({1, 8, 4, 4});
  const int up = g.Intermediate({1, 4, 8, 8}), cat = g.Intermediate({1, 8, 8, 8}),
            dec = g.Intermediate({1, 4, 8, 8});
  const int wide = g.Intermediate({1, 8, 8, 8}), side = g.Intermediate({1, 4, 8, 8});
  const int sum = g.Intermediate({1, 4, 8, 8}), logits = g.Intermediate({1, 1, 8, 8});
  AddConv(g, x, c.enc1_w, c.enc1_b, e1, 1, true);
  g.AddOp(OpCode::kMaxPool, {e1}, {p1}, PoolParams({2, 2}, {2, 2}, {0, 0, 0, 0}));
  AddConv(g, p1, c.enc2_w, c.enc2_b, e2, 1, true);
  g.AddOp(OpCode::kConvTranspose, {e2, Weight(g, c.up_w), Weight(g, c.up_b)}, {up},
          ConvParams({2, 2}, {0, 0, 0, 0}, {1, 1}));
  g.AddOp(OpCode::kConcat, {up, e1}, {cat}, AxisParams(1));
  AddConv(g, cat, c.dec_w, c.dec_b, dec, 1, true);
  schema::ResizeParamsT resize;
  resize.mode = schema::ResizeMode::Linear;
  resize.coordinate_transform = schema::CoordinateTransform::HalfPixel;
  resize.scales = {1.0f, 1.0f, 2.0f, 2.0f};
  g.AddOp(OpCode::kResize, {e2}, {wide}, Union(std::move(resize)));
  AddConv(g, wide, c.side_w, c.side_b, side, 0, false);
  g.AddOp(OpCode::kAdd, {dec, side}, {sum}, ElementwiseParams());
  AddConv(g, sum, c.head_w, c.head_b, logits, 0, false);
  g.AddOp(OpCode::kSigmoid, {logits}, {AddOutput(m, c.y)});
  m.op_input = x;
  return m;
}

GoldenModel EcgCnnModel(const EcgCnnCase& c) {
  GoldenModel m;
  OpTestModel& g = *m.model;
  const int x = AddInput(m, c.x);
  const int c1 = g.Intermediate({1, 4, 64}), p1 = g.Intermediate({1, 4, 32}),
            c2 = g.Intermediate({1, 8, 16});
  const int pooled = g.Intermediate({1, 8, 1}), flat = g.Intermediate({1, 8}),
            logits = g.Intermediate({1, 3});
  AddConv(g, x, c.conv1_w, c.conv1_b, c1, 2, true, 1, 1);
  g.AddOp(OpCode::kMaxPool, {c1}, {p1}, PoolParams({2}, {2}, {0, 0}));
  AddConv(g, p1, c.conv2_w, c.conv2_b, c2, 1, true, 2, 1);
  g.AddOp(OpCode::kGlobalAveragePool, {c2}, {pooled});
  g.AddOp(OpCode::kReshape, {pooled}, {flat});
  schema::GemmParamsT fc;
  fc.trans_b = true;
  g.AddOp(OpCode::kGemm, {flat, Weight(g, c.fc_w), Weight(g, c.fc_b)}, {logits},
          Union(std::move(fc)));
  g.AddOp(OpCode::kSoftmax, {logits}, {AddOutput(m, c.y)}, AxisParams(1));
  m.op_input = x;
  return m;
}

std::vector<float> RunGolden(GoldenModel& m) {
  std::vector<std::vector<uint8_t>> inputs;
  for (const auto& values : m.inputs)
    inputs.push_back(ToBytes(values, m.input_dtype));
  std::vector<std::vector<uint8_t>> outputs = m.model->RunBytes(inputs);
  if (outputs.size() != 1) throw HostError("golden models have one output");
  return FromBytes(outputs[0], m.dtype);
}

std::vector<GoldenModel> AllGoldenModels() {
  std::vector<GoldenModel> all;
  for (const auto& c : kConvCases)
    all.push_back(ConvModel(c, OpCode::kConv));
  for (const auto& c : kConvTransposeCases)
    all.push_back(ConvModel(c, OpCode::kConvTranspose));
  for (const auto& c : kMaxPoolCases)
    all.push_back(PoolModel(c, OpCode::kMaxPool));
  for (const auto& c : kAveragePoolCases)
    all.push_back(PoolModel(c, OpCode::kAveragePool));
  for (const auto& c : kGlobalAveragePoolCases)
    all.push_back(UnaryModel(c, OpCode::kGlobalAveragePool));
  for (const auto& c : kGemmCases)
    all.push_back(GemmModel(c));
  for (const auto& c : kMatMulCases)
    all.push_back(MatMulModel(c));
  for (const auto& c : kAddCases)
    all.push_back(BinaryModel(c, OpCode::kAdd, Routing::kInPlace));
  for (const auto& c : kSubCases)
    all.push_back(BinaryModel(c, OpCode::kSub));
  for (const auto& c : kMulCases)
    all.push_back(BinaryModel(c, OpCode::kMul));
  for (const auto& c : kReluCases)
    all.push_back(UnaryModel(c, OpCode::kRelu, Routing::kInPlace));
  for (const auto& c : kLeakyReluCases)
    all.push_back(UnaryModel(c, OpCode::kLeakyRelu));
  for (const auto& c : kClipCases)
    all.push_back(UnaryModel(c, OpCode::kClip));
  for (const auto& c : kSigmoidCases)
    all.push_back(UnaryModel(c, OpCode::kSigmoid));
  for (const auto& c : kTanhCases)
    all.push_back(UnaryModel(c, OpCode::kTanh));
  for (const auto& c : kSoftmaxCases)
    all.push_back(SoftmaxModel(c));
  for (const auto& c : kResizeCases)
    all.push_back(ResizeModel(c));
  // Data movement in every dtype: each has its own Eval (by element width) and fill rules.
  for (schema::DType dtype : {schema::DType::Float32, schema::DType::Int8, schema::DType::Int32}) {
    for (const auto& c : kConcatCases)
      all.push_back(ConcatModel(c, dtype));
    for (const auto& c : kTransposeCases)
      all.push_back(TransposeModel(c, dtype));
    for (const auto& c : kPadCases)
      all.push_back(PadModel(c, dtype));
    for (const auto& c : kSliceCases)
      all.push_back(SliceModel(c, dtype));
  }
  for (const auto& c : kTinyUNetCases)
    all.push_back(TinyUNetModel(c));
  for (const auto& c : kEcgCnnCases)
    all.push_back(EcgCnnModel(c));
  return all;
}

}  // namespace vigil::testing::golden
