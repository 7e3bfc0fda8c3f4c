#include "compiler/quant/quant_report.h"

#include <algorithm>
#include <cmath>

#include "compiler/quant/calibrator.h"
#include "core/op_code.h"
#include "host/progress_bar.h"
#include "vgl_generated.h"

namespace vigil::quant {
namespace {

// Running sums for SQNR and cosine between reference x and approximation y.
struct Agreement {
  double xx = 0, yy = 0, xy = 0, error = 0;
  int64_t n = 0;
  void Add(float x, float y) {
    xx += static_cast<double>(x) * x;
    yy += static_cast<double>(y) * y;
    xy += static_cast<double>(x) * y;
    error += (static_cast<double>(x) - y) * (static_cast<double>(x) - y);
    ++n;
  }
  double Sqnr() const { return error > 0 ? 10.0 * std::log10(xx / error) : INFINITY; }
  double Cosine() const {
    return xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : (xx == yy ? 1.0 : 0.0);
  }
};

std::vector<float> Dequantized(const TensorView& v) {
  std::vector<float> out(static_cast<size_t>(v.shape.ElementCount()));
  if (v.dtype == DType::kFloat32) {
    std::copy_n(v.data_as<const float>(), out.size(), out.begin());
  } else if (v.dtype == DType::kInt8) {
    const int8_t* q = v.data_as<const int8_t>();
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = v.quant.scale[0] * static_cast<float>(q[i] - v.quant.zero_point[0]);
  }
  return out;
}

std::string ProducerOp(const schema::Model& model, int tensor) {
  for (const schema::Operator* op : *model.operators()) {
    for (int32_t out : *op->outputs()) {
      if (out == tensor)
        return std::string(op->name() ? op->name()->c_str() : "") + " (" +
               kOpInfo[op->opcode()].name + ")";
    }
  }
  return "graph input";
}

}  // namespace

QuantizationAccuracy MeasureQuantization(LoadedModel& float_model, LoadedModel& int8_model,
                                         const std::vector<int>& int8_tensor_of,
                                         const SampleSet& samples, bool progress) {
  const int tensors = float_model.interpreter().tensor_count();
  std::vector<Agreement> layers(static_cast<size_t>(tensors));
  std::vector<Agreement> outputs(static_cast<size_t>(float_model.interpreter().output_count()));
  std::vector<int64_t> argmax_same(outputs.size(), 0), argmax_rows(outputs.size(), 0);
  std::vector<int> float_of_int8(static_cast<size_t>(int8_model.interpreter().tensor_count()), -1);
  for (int t = 0; t < tensors && t < static_cast<int>(int8_tensor_of.size()); ++t) {
    if (int8_tensor_of[static_cast<size_t>(t)] >= 0)
      float_of_int8[static_cast<size_t>(int8_tensor_of[static_cast<size_t>(t)])] = t;
  }
  ProgressBar bar("evaluating int8 against float32", static_cast<int64_t>(samples.samples.size()),
                  progress);
  int64_t done = 0;
  for (const auto& sample : samples.samples) {
    std::vector<std::vector<float>> reference(static_cast<size_t>(tensors));
    TraceTensors(float_model, sample, [&](int t, const TensorView& v) {
      reference[static_cast<size_t>(t)] = Dequantized(v);
    });
    TraceTensors(int8_model, sample, [&](int t, const TensorView& v) {
      const int f = float_of_int8[static_cast<size_t>(t)];
      if (f < 0 || reference[static_cast<size_t>(f)].empty()) return;
      std::vector<float> approx = Dequantized(v);
      for (size_t i = 0; i < approx.size(); ++i)
        layers[static_cast<size_t>(f)].Add(reference[static_cast<size_t>(f)][i], approx[i]);
    });
    for (size_t k = 0; k < outputs.size(); ++k) {
      std::vector<float> want = float_model.Output(static_cast<int>(k)),
                         got = int8_model.Output(static_cast<int>(k));
      for (size_t i = 0; i < want.size(); ++i)
        outputs[k].Add(want[i], got[i]);
      TensorView view = float_model.interpreter().output(static_cast<int>(k));
      if (view.shape.rank == 2 && view.shape.dims[1] > 1) {
        const int64_t rows = view.shape.dims[0], classes = view.shape.dims[1];
        for (int64_t r = 0; r < rows; ++r) {
          auto w = std::max_element(want.begin() + r * classes, want.begin() + (r + 1) * classes);
          auto g = std::max_element(got.begin() + r * classes, got.begin() + (r + 1) * classes);
          argmax_same[k] += (w - want.begin()) == (g - got.begin());
          ++argmax_rows[k];
        }
      }
    }
    bar.Update(++done);
  }
  bar.Finish();
  QuantizationAccuracy result;
  result.samples = samples.samples.size();
  for (int t = 0; t < tensors; ++t) {
    const Agreement& a = layers[static_cast<size_t>(t)];
    if (a.n == 0) continue;
    const auto* name = float_model.model().tensors()->Get(static_cast<uint32_t>(t))->name();
    result.layers.push_back(
        {name ? name->str() : "", ProducerOp(float_model.model(), t), a.Sqnr(), a.Cosine(), a.n});
  }
  std::sort(result.layers.begin(), result.layers.end(),
            [](const LayerAccuracy& a, const LayerAccuracy& b) { return a.sqnr_db < b.sqnr_db; });
  for (size_t k = 0; k < outputs.size(); ++k) {
    result.outputs.push_back(
        {float_model.interpreter().output_name(static_cast<int>(k)), outputs[k].Cosine(),
         outputs[k].Sqnr(),
         argmax_rows[k] ? static_cast<double>(argmax_same[k]) / static_cast<double>(argmax_rows[k])
                        : -1.0});
  }
  return result;
}

}  // namespace vigil::quant
