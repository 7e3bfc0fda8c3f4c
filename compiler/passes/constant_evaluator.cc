#include "compiler/passes/constant_evaluator.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "compiler/import/onnx/onnx_importer.h"
#include "compiler/ir/attributes.h"
#include "host/error.h"

namespace vigil::passes {
namespace {

using ir::ElementType;
using ir::TensorData;
using Values = std::vector<TensorData>;

int64_t NormalizeAxis(int64_t axis, int64_t rank, const ir::Node& node) {
  if (axis < -rank || axis >= rank)
    throw HostError(ir::Graph::Describe(node) + ": axis " + std::to_string(axis) + " out of range");
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> Strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    s[d] = s[d + 1] * shape[d + 1];
  return s;
}

std::vector<int64_t> BroadcastShape(const std::vector<std::vector<int64_t>>& shapes,
                                    const ir::Node& node) {
  size_t rank = 0;
  for (const auto& s : shapes)
    rank = std::max(rank, s.size());
  std::vector<int64_t> out(rank, 1);
  for (const auto& s : shapes) {
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t& o = out[rank - s.size() + i];
      if (s[i] == o || s[i] == 1) continue;
      if (o != 1) throw HostError(ir::Graph::Describe(node) + ": shapes do not broadcast");
      o = s[i];
    }
  }
  return out;
}

// Index of element `flat` of `out_shape` inside a tensor of `shape` broadcast onto it.
int64_t BroadcastIndex(int64_t flat, const std::vector<int64_t>& out_shape,
                       const std::vector<int64_t>& shape) {
  int64_t index = 0, stride = 1;
  for (int64_t d = static_cast<int64_t>(out_shape.size()) - 1,
               k = static_cast<int64_t>(shape.size()) - 1;
       d >= 0; --d, --k) {
    int64_t coord = flat % out_shape[d];
    flat /= out_shape[d];
    if (k >= 0) {
      if (shape[k] != 1) index += coord * stride;
      stride *= shape[k];
    }
  }
  return index;
}

TensorData Elementwise(const std::vector<const TensorData*>& in, ElementType out_type,
                       const std::function<double(const std::vector<double>&)>& f,
                       const ir::Node& node) {
  std::vector<std::vector<int64_t>> shapes;
  std::vector<std::vector<double>> values;
  for (const TensorData* t : in) {
    shapes.push_back(t->shape);
    values.push_back(t->ToDoubles());
  }
  std::vector<int64_t> out_shape = BroadcastShape(shapes, node);
  const int64_t n = ir::ElementCount(out_shape);
  std::vector<double> out(static_cast<size_t>(n));
  std::vector<double> args(in.size());
  for (int64_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < in.size(); ++k)
      args[k] = values[k][static_cast<size_t>(BroadcastIndex(i, out_shape, shapes[k]))];
    out[static_cast<size_t>(i)] = f(args);
  }
  return TensorData::FromDoubles(out_type, out_shape, out);
}

bool IsInteger(ElementType t) {
  return t != ElementType::kFloat32 && t != ElementType::kFloat64;
}

TensorData Reshaped(const TensorData& in, std::vector<int64_t> shape) {
  TensorData out = in;
  out.shape = std::move(shape);
  return out;
}

std::vector<int64_t> AxesFrom(const ir::Node& node, const std::vector<const TensorData*>& in,
                              int64_t opset) {
  if (opset >= 13) return in.size() > 1 && in[1] ? in[1]->ToInt64s() : std::vector<int64_t>{};
  return ir::IntsAttribute(node, "axes");
}

TensorData Gather(const TensorData& data, const TensorData& indices, int64_t axis) {
  const int64_t rank = static_cast<int64_t>(data.shape.size());
  std::vector<int64_t> out_shape(data.shape.begin(), data.shape.begin() + axis);
  out_shape.insert(out_shape.end(), indices.shape.begin(), indices.shape.end());
  out_shape.insert(out_shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= data.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= data.shape[d];
  const size_t w = ir::ElementBytes(data.type);
  std::vector<int64_t> idx = indices.ToInt64s();
  TensorData out;
  out.type = data.type;
  out.shape = out_shape;
  out.bytes.reserve(static_cast<size_t>(outer) * idx.size() * inner * w);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i : idx) {
      if (i < 0) i += data.shape[axis];
      if (i < 0 || i >= data.shape[axis]) throw HostError("Gather index out of range");
      auto begin = data.bytes.begin() +
                   static_cast<std::ptrdiff_t>(((o * data.shape[axis] + i) * inner) * w);
      out.bytes.insert(out.bytes.end(), begin, begin + static_cast<std::ptrdiff_t>(inner * w));
    }
  }
  return out;
}

TensorData Concat(const std::vector<const TensorData*>& in, int64_t axis) {
  std::vector<int64_t> shape = in[0]->shape;
  shape[axis] = 0;
  for (const TensorData* t : in)
    shape[axis] += t->shape[axis];
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  TensorData out;
  out.type = in[0]->type;
  out.shape = shape;
  for (int64_t o = 0; o < outer; ++o) {
    for (const TensorData* t : in) {
      const int64_t slab = static_cast<int64_t>(t->bytes.size()) / std::max<int64_t>(outer, 1);
      out.bytes.insert(out.bytes.end(), t->bytes.begin() + o * slab,
                       t->bytes.begin() + (o + 1) * slab);
    }
  }
  return out;
}

TensorData Slice(const TensorData& data, std::vector<int64_t> starts, std::vector<int64_t> ends,
                 std::vector<int64_t> axes, std::vector<int64_t> steps, const ir::Node& node) {
  const int64_t rank = static_cast<int64_t>(data.shape.size());
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  std::vector<int64_t> start(rank, 0), step(rank, 1), count(data.shape);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = NormalizeAxis(axes[i], rank, node), dim = data.shape[a];
    int64_t s = starts[i], e = ends[i], st = steps[i];
    if (st == 0) throw HostError(ir::Graph::Describe(node) + ": step 0");
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (st > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      count[a] = std::max<int64_t>(0, (e - s + st - 1) / st);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      count[a] = std::max<int64_t>(0, (s - e + (-st) - 1) / (-st));
    }
    start[a] = s;
    step[a] = st;
  }
  std::vector<int64_t> in_strides = Strides(data.shape);
  const size_t w = ir::ElementBytes(data.type);
  TensorData out;
  out.type = data.type;
  out.shape = count;
  const int64_t n = ir::ElementCount(count);
  out.bytes.resize(static_cast<size_t>(n) * w);
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i, src = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t c = rem % count[d];
      rem /= count[d];
      src += (start[d] + c * step[d]) * in_strides[d];
    }
    std::copy_n(data.bytes.begin() + src * static_cast<int64_t>(w), w,
                out.bytes.begin() + i * static_cast<int64_t>(w));
  }
  return out;
}

TensorData Transpose(const TensorData& data, std::vector<int64_t> perm) {
  const int64_t rank = static_cast<int64_t>(data.shape.size());
  if (perm.empty())
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  std::vector<int64_t> out_shape(rank);
  for (int64_t d = 0; d < rank; ++d)
    out_shape[d] = data.shape[perm[d]];
  std::vector<int64_t> in_strides = Strides(data.shape);
  const size_t w = ir::ElementBytes(data.type);
  TensorData out;
  out.type = data.type;
  out.shape = out_shape;
  const int64_t n = data.ElementCount();
  out.bytes.resize(data.bytes.size());
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i, src = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      src += (rem % out_shape[d]) * in_strides[perm[d]];
      rem /= out_shape[d];
    }
    std::copy_n(data.bytes.begin() + src * static_cast<int64_t>(w), w,
                out.bytes.begin() + i * static_cast<int64_t>(w));
  }
  return out;
}

using Inputs = std::vector<const TensorData*>;
using ElementFn = std::function<double(const std::vector<double>&)>;
// One ONNX op's evaluation; `in[i]` is null for an absent optional input.
using EvaluateFn = Values (*)(const ir::Node& node, const Inputs& in, int64_t opset);

void Need(const ir::Node& node, const Inputs& in, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (i >= in.size() || in[i] == nullptr)
      throw HostError(ir::Graph::Describe(node) + ": missing input " + std::to_string(i));
  }
}

Values Binary(const ir::Node& node, const Inputs& in, const ElementFn& f,
              bool boolean_result = false) {
  Need(node, in, 2);
  return Values{
      Elementwise({in[0], in[1]}, boolean_result ? ElementType::kBool : in[0]->type, f, node)};
}

Values Unary(const ir::Node& node, const Inputs& in, const ElementFn& f) {
  Need(node, in, 1);
  return Values{Elementwise({in[0]}, in[0]->type, f, node)};
}

Values EvaluateConstant(const ir::Node& node, const Inputs&, int64_t) {
  for (const auto& [name, a] : node.attributes) {
    if (name == "value") return Values{onnx_import::DecodeTensor(a.t())};
    if (name == "value_float") return Values{TensorData::FromFloats({}, {a.f()})};
    if (name == "value_floats")
      return Values{
          TensorData::FromFloats({a.floats_size()}, {a.floats().begin(), a.floats().end()})};
    if (name == "value_int") return Values{TensorData::FromInt64s({}, {a.i()})};
    if (name == "value_ints")
      return Values{TensorData::FromInt64s({a.ints_size()}, {a.ints().begin(), a.ints().end()})};
  }
  throw HostError(ir::Graph::Describe(node) + ": unsupported Constant attribute");
}

Values EvaluateCast(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 1);
  ElementType to = onnx_import::FromOnnxType(static_cast<int32_t>(ir::IntAttribute(node, "to", 1)));
  return Values{TensorData::FromDoubles(to, in[0]->shape, in[0]->ToDoubles())};
}

Values EvaluateGather(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 2);
  int64_t axis = NormalizeAxis(ir::IntAttribute(node, "axis", 0),
                               static_cast<int64_t>(in[0]->shape.size()), node);
  return Values{Gather(*in[0], *in[1], axis)};
}

Values EvaluateUnsqueeze(const ir::Node& node, const Inputs& in, int64_t opset) {
  Need(node, in, 1);
  std::vector<int64_t> axes = AxesFrom(node, in, opset);
  std::vector<int64_t> shape = in[0]->shape;
  const int64_t out_rank = static_cast<int64_t>(shape.size() + axes.size());
  for (int64_t& a : axes)
    a = NormalizeAxis(a, out_rank, node);
  std::sort(axes.begin(), axes.end());
  for (int64_t a : axes)
    shape.insert(shape.begin() + a, 1);
  return Values{Reshaped(*in[0], shape)};
}

Values EvaluateSqueeze(const ir::Node& node, const Inputs& in, int64_t opset) {
  Need(node, in, 1);
  std::vector<int64_t> axes = AxesFrom(node, in, opset);
  const int64_t rank = static_cast<int64_t>(in[0]->shape.size());
  std::vector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    bool listed =
        axes.empty() ? in[0]->shape[d] == 1 : std::any_of(axes.begin(), axes.end(), [&](int64_t a) {
          return NormalizeAxis(a, rank, node) == d;
        });
    if (!listed) shape.push_back(in[0]->shape[d]);
  }
  return Values{Reshaped(*in[0], shape)};
}

Values EvaluateReshape(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 2);
  std::vector<int64_t> target = in[1]->ToInt64s();
  const bool allow_zero = ir::IntAttribute(node, "allowzero", 0) != 0;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == 0 && !allow_zero) target[i] = in[0]->shape.at(i);
    if (target[i] == -1)
      infer = static_cast<int64_t>(i);
    else
      known *= target[i];
  }
  if (infer >= 0) target[infer] = known ? in[0]->ElementCount() / known : 0;
  if (ir::ElementCount(target) != in[0]->ElementCount())
    throw HostError(ir::Graph::Describe(node) + ": cannot reshape");
  return Values{Reshaped(*in[0], target)};
}

Values EvaluateFlatten(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 1);
  const int64_t rank = static_cast<int64_t>(in[0]->shape.size());
  int64_t axis = ir::IntAttribute(node, "axis", 1);
  if (axis < 0) axis += rank;
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= in[0]->shape[d];
  return Values{Reshaped(*in[0], {outer, outer ? in[0]->ElementCount() / outer : 0})};
}

Values EvaluateConcat(const ir::Node& node, const Inputs& in, int64_t) {
  std::vector<const TensorData*> parts;
  for (const TensorData* t : in)
    if (t) parts.push_back(t);
  if (parts.empty()) throw HostError(ir::Graph::Describe(node) + ": no inputs");
  int64_t axis = NormalizeAxis(ir::IntAttribute(node, "axis", 0),
                               static_cast<int64_t>(parts[0]->shape.size()), node);
  return Values{Concat(parts, axis)};
}

Values EvaluateSlice(const ir::Node& node, const Inputs& in, int64_t opset) {
  Need(node, in, 1);
  if (opset < 10) {
    return Values{Slice(*in[0], ir::IntsAttribute(node, "starts"), ir::IntsAttribute(node, "ends"),
                        ir::IntsAttribute(node, "axes"), {}, node)};
  }
  Need(node, in, 3);
  auto optional = [&](size_t i) {
    return i < in.size() && in[i] ? in[i]->ToInt64s() : std::vector<int64_t>{};
  };
  return Values{
      Slice(*in[0], in[1]->ToInt64s(), in[2]->ToInt64s(), optional(3), optional(4), node)};
}

Values EvaluateConstantOfShape(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 1);
  std::vector<int64_t> shape = in[0]->ToInt64s();
  TensorData fill = TensorData::FromFloats({1}, {0.0f});
  if (ir::HasAttribute(node, "value"))
    fill = onnx_import::DecodeTensor(node.attributes.at("value").t());
  std::vector<double> values(static_cast<size_t>(ir::ElementCount(shape)), fill.ToDoubles().at(0));
  return Values{TensorData::FromDoubles(fill.type, shape, values)};
}

Values EvaluateRange(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 3);
  double start = in[0]->ToDoubles().at(0), limit = in[1]->ToDoubles().at(0),
         delta = in[2]->ToDoubles().at(0);
  if (delta == 0) throw HostError(ir::Graph::Describe(node) + ": delta 0");
  int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((limit - start) / delta)));
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    v[static_cast<size_t>(i)] = start + static_cast<double>(i) * delta;
  return Values{TensorData::FromDoubles(in[0]->type, {n}, v)};
}

Values EvaluateDiv(const ir::Node& node, const Inputs& in, int64_t) {
  const bool integer = IsInteger(in.empty() || !in[0] ? ElementType::kFloat32 : in[0]->type);
  return Binary(node, in, [integer](const auto& a) {
    return integer ? std::trunc(a[0] / a[1]) : a[0] / a[1];
  });
}

Values EvaluateWhere(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 3);
  return Values{Elementwise(
      {in[0], in[1], in[2]}, in[1]->type, [](const auto& a) { return a[0] != 0 ? a[1] : a[2]; },
      node)};
}

Values EvaluateExpand(const ir::Node& node, const Inputs& in, int64_t) {
  Need(node, in, 2);
  TensorData shape_only = TensorData::FromDoubles(
      in[0]->type, in[1]->ToInt64s(),
      std::vector<double>(static_cast<size_t>(ir::ElementCount(in[1]->ToInt64s())), 0.0));
  return Values{Elementwise(
      {in[0], &shape_only}, in[0]->type, [](const auto& a) { return a[0]; }, node)};
}

// The ONNX ops this evaluator knows, by op type (the default domain only).
const std::map<std::string, EvaluateFn>& EvaluationTable() {
  using N = const ir::Node&;
  using I = const Inputs&;
  static const std::map<std::string, EvaluateFn> table = {
      {"Constant", &EvaluateConstant},
      {"Identity",
       [](N node, I in, int64_t) {
         Need(node, in, 1);
         return Values{*in[0]};
       }},
      {"Cast", &EvaluateCast},
      {"Gather", &EvaluateGather},
      {"Unsqueeze", &EvaluateUnsqueeze},
      {"Squeeze", &EvaluateSqueeze},
      {"Reshape", &EvaluateReshape},
      {"Flatten", &EvaluateFlatten},
      {"Concat", &EvaluateConcat},
      {"Slice", &EvaluateSlice},
      {"Transpose",
       [](N node, I in, int64_t) {
         Need(node, in, 1);
         return Values{Transpose(*in[0], ir::IntsAttribute(node, "perm"))};
       }},
      {"ConstantOfShape", &EvaluateConstantOfShape},
      {"Range", &EvaluateRange},
      {"Add", [](N node, I in,
                 int64_t) { return Binary(node, in, [](const auto& a) { return a[0] + a[1]; }); }},
      {"Sub", [](N node, I in,
                 int64_t) { return Binary(node, in, [](const auto& a) { return a[0] - a[1]; }); }},
      {"Mul", [](N node, I in,
                 int64_t) { return Binary(node, in, [](const auto& a) { return a[0] * a[1]; }); }},
      {"Div", &EvaluateDiv},
      {"Pow",
       [](N node, I in, int64_t) {
         return Binary(node, in, [](const auto& a) { return std::pow(a[0], a[1]); });
       }},
      {"Min",
       [](N node, I in, int64_t) {
         return Binary(node, in, [](const auto& a) { return std::min(a[0], a[1]); });
       }},
      {"Max",
       [](N node, I in, int64_t) {
         return Binary(node, in, [](const auto& a) { return std::max(a[0], a[1]); });
       }},
      {"Equal",
       [](N node, I in, int64_t) {
         return Binary(
             node, in, [](const auto& a) { return a[0] == a[1] ? 1.0 : 0.0; }, true);
       }},
      {"Less",
       [](N node, I in, int64_t) {
         return Binary(
             node, in, [](const auto& a) { return a[0] < a[1] ? 1.0 : 0.0; }, true);
       }},
      {"Greater",
       [](N node, I in, int64_t) {
         return Binary(
             node, in, [](const auto& a) { return a[0] > a[1] ? 1.0 : 0.0; }, true);
       }},
      {"Where", &EvaluateWhere},
      {"Expand", &EvaluateExpand},
      {"Neg",
       [](N node, I in, int64_t) { return Unary(node, in, [](const auto& a) { return -a[0]; }); }},
      {"Sqrt",
       [](N node, I in, int64_t) {
         return Unary(node, in, [](const auto& a) { return std::sqrt(a[0]); });
       }},
      {"Reciprocal",
       [](N node, I in, int64_t) {
         return Unary(node, in, [](const auto& a) { return 1.0 / a[0]; });
       }},
      {"Floor",
       [](N node, I in, int64_t) {
         return Unary(node, in, [](const auto& a) { return std::floor(a[0]); });
       }},
      {"Ceil",
       [](N node, I in, int64_t) {
         return Unary(node, in, [](const auto& a) { return std::ceil(a[0]); });
       }},
      {"Abs",
       [](N node, I in, int64_t) {
         return Unary(node, in, [](const auto& a) { return std::fabs(a[0]); });
       }},
      {"Relu",
       [](N node, I in, int64_t) {
         return Unary(node, in, [](const auto& a) { return std::max(a[0], 0.0); });
       }},
  };
  return table;
}

}  // namespace

std::optional<std::vector<ir::TensorData>> EvaluateConstantNode(
    const ir::Node& node, const std::vector<const ir::TensorData*>& inputs, int64_t opset) {
  if (!node.domain.empty()) return std::nullopt;
  auto rule = EvaluationTable().find(node.op_type);
  if (rule == EvaluationTable().end()) return std::nullopt;
  return rule->second(node, inputs, opset);
}

}  // namespace vigil::passes
