#include "apps/vigil/model_summary.h"

#include "core/op_code.h"
#include "vigil/tensor.h"

namespace vigil {
namespace {

int64_t Elements(const schema::Tensor& t) {
  int64_t n = 1;
  for (int32_t d : *t.shape())
    n *= d;
  return n;
}

int64_t KernelArea(const schema::Tensor& weight) {
  int64_t n = 1;
  for (uint32_t d = 2; d < weight.shape()->size(); ++d)
    n *= weight.shape()->Get(d);
  return n;
}

int64_t OpMacs(const schema::Model& model, const schema::Operator& op) {
  auto tensor = [&](int k, bool output) -> const schema::Tensor& {
    return *model.tensors()->Get(static_cast<uint32_t>(
        (output ? op.outputs() : op.inputs())->Get(static_cast<uint32_t>(k))));
  };
  switch (static_cast<OpCode>(op.opcode())) {
    case OpCode::kConv: {
      const schema::Tensor& w = tensor(1, false);
      return Elements(tensor(0, true)) * w.shape()->Get(1) * KernelArea(w);
    }
    case OpCode::kConvTranspose: {
      const schema::Tensor& w = tensor(1, false);
      return Elements(tensor(0, false)) * w.shape()->Get(1) * KernelArea(w);
    }
    case OpCode::kGemm: {
      const auto* p = op.params_as_GemmParams();
      const schema::Tensor& a = tensor(0, false);
      int64_t k = p->trans_a() ? a.shape()->Get(0) : a.shape()->Get(1);
      return Elements(tensor(0, true)) * k;
    }
    case OpCode::kMatMul: {
      const schema::Tensor& a = tensor(0, false);
      return Elements(tensor(0, true)) * a.shape()->Get(a.shape()->size() - 1);
    }
    default: return 0;
  }
}

}  // namespace

ModelSummary SummarizeModel(const schema::Model& model, size_t file_bytes) {
  ModelSummary s;
  s.file_bytes = file_bytes;
  s.arena_bytes = model.arena_bytes();
  s.activation_bytes = model.activation_bytes();
  std::vector<std::string> kind(model.tensors()->size(), "activation");
  for (int32_t i : *model.inputs())
    kind[static_cast<size_t>(i)] = "input";
  for (int32_t i : *model.outputs())
    kind[static_cast<size_t>(i)] = "output";
  for (uint32_t i = 0; i < model.tensors()->size(); ++i) {
    const schema::Tensor& t = *model.tensors()->Get(i);
    TensorSummary ts;
    ts.name = t.name() ? t.name()->str() : "";
    ts.dtype = DTypeName(static_cast<DType>(t.dtype()));
    ts.kind = t.buffer() >= 0 ? "constant" : kind[i];
    ts.shape.assign(t.shape()->begin(), t.shape()->end());
    ts.bytes = Elements(t) * static_cast<int64_t>(DTypeBytes(static_cast<DType>(t.dtype())));
    ts.arena_offset = t.arena_offset();
    if (t.quantization()) {
      ts.scales.assign(t.quantization()->scale()->begin(), t.quantization()->scale()->end());
      ts.zero_points.assign(t.quantization()->zero_point()->begin(),
                            t.quantization()->zero_point()->end());
    }
    if (t.buffer() >= 0) {
      s.parameters += Elements(t);
      s.parameter_bytes += ts.bytes;
    }
    s.tensors.push_back(std::move(ts));
  }
  for (const schema::Operator* op : *model.operators()) {
    OpSummary o;
    o.name = op->name() ? op->name()->str() : "";
    o.op = kOpInfo[op->opcode()].name;
    o.inputs.assign(op->inputs()->begin(), op->inputs()->end());
    o.outputs.assign(op->outputs()->begin(), op->outputs()->end());
    o.macs = OpMacs(model, *op);
    s.macs += o.macs;
    s.ops.push_back(std::move(o));
  }
  if (const schema::Metadata* m = model.metadata()) {
    auto str = [](const flatbuffers::String* v) { return v ? v->str() : std::string(); };
    s.metadata = {{"model_name", str(m->model_name())},
                  {"model_version", str(m->model_version())},
                  {"description", str(m->description())},
                  {"source_sha256", str(m->source_sha256())},
                  {"compiler_version", str(m->compiler_version())}};
    auto io = [&](const flatbuffers::Vector<flatbuffers::Offset<schema::IoInfo>>* list) {
      nlohmann::json out = nlohmann::json::array();
      if (!list) return out;
      for (const schema::IoInfo* i : *list) {
        out.push_back({{"name", str(i->name())},
                       {"description", str(i->description())},
                       {"units", str(i->units())},
                       {"sample_rate_hz", i->sample_rate_hz()},
                       {"normalization", str(i->normalization())}});
      }
      return out;
    };
    s.metadata["inputs"] = io(m->inputs());
    s.metadata["outputs"] = io(m->outputs());
    nlohmann::json props = nlohmann::json::object();
    if (m->properties()) {
      for (const schema::KeyValue* kv : *m->properties())
        props[str(kv->key())] = str(kv->value());
    }
    s.metadata["properties"] = props;
  }
  return s;
}

nlohmann::json ToJson(const ModelSummary& s) {
  nlohmann::json ops = nlohmann::json::array(), tensors = nlohmann::json::array();
  for (const OpSummary& o : s.ops) {
    ops.push_back({{"name", o.name},
                   {"op", o.op},
                   {"inputs", o.inputs},
                   {"outputs", o.outputs},
                   {"macs", o.macs}});
  }
  for (const TensorSummary& t : s.tensors) {
    nlohmann::json j = {{"name", t.name},
                        {"dtype", t.dtype},
                        {"kind", t.kind},
                        {"shape", t.shape},
                        {"bytes", t.bytes}};
    if (t.arena_offset >= 0) j["arena_offset"] = t.arena_offset;
    if (!t.scales.empty()) j["quantization"] = {{"scale", t.scales}, {"zero_point", t.zero_points}};
    tensors.push_back(j);
  }
  return {{"metadata", s.metadata},
          {"file_bytes", s.file_bytes},
          {"arena_bytes", s.arena_bytes},
          {"activation_bytes", s.activation_bytes},
          {"parameters", s.parameters},
          {"parameter_bytes", s.parameter_bytes},
          {"macs", s.macs},
          {"op_count", s.ops.size()},
          {"ops", ops},
          {"tensors", tensors}};
}

}  // namespace vigil
