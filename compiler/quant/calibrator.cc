#include "compiler/quant/calibrator.h"

#include <algorithm>
#include <cmath>

#include "host/command_line.h"
#include "host/error.h"
#include "host/progress_bar.h"
#include "vgl_generated.h"

namespace vigil::quant {
namespace {

constexpr int kHistogramBins = 2048;
constexpr int kTargetLevels = 128;

struct TensorStats {
  TensorRange range;
  std::vector<double> histogram;  // over [min, max] (percentile) or [0, max |x|] (entropy)
};

const float* FloatData(const TensorView& v) {
  return v.dtype == DType::kFloat32 ? v.data_as<const float>() : nullptr;
}

double KlDivergence(const std::vector<double>& p, const std::vector<double>& q) {
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] > 0) kl += p[i] * std::log(p[i] / q[i]);
  }
  return kl;
}

}  // namespace

CalibrationOptions ParseCalibrationMethod(const std::string& text) {
  CalibrationOptions options;
  if (text == "minmax") {
    options.method = CalibrationMethod::kMinMax;
  } else if (text == "entropy") {
    options.method = CalibrationMethod::kEntropy;
  } else if (text.rfind("percentile", 0) == 0) {
    options.method = CalibrationMethod::kPercentile;
    if (text.size() > 10) {
      if (text[10] != ':')
        throw HostError("--calib-method: expected percentile[:P], got '" + text + "'");
      options.percentile =
          ParseReal("--calib-method percentile", text.substr(11), RealRange{50, 100, true});
    }
  } else {
    throw HostError("--calib-method must be minmax, percentile[:P] or entropy, got '" + text + "'");
  }
  return options;
}

std::string DescribeCalibration(const CalibrationOptions& o) {
  switch (o.method) {
    case CalibrationMethod::kMinMax: return "minmax";
    case CalibrationMethod::kEntropy: return "entropy";
    default: {
      char buf[48];
      std::snprintf(buf, sizeof(buf), "percentile:%g", o.percentile);
      return buf;
    }
  }
}

void TraceTensors(LoadedModel& model, const std::vector<std::vector<float>>& sample,
                  const std::function<void(int, const TensorView&)>& visit) {
  Interpreter& interpreter = model.interpreter();
  for (size_t k = 0; k < sample.size(); ++k)
    model.SetInput(static_cast<int>(k), sample[k]);
  const schema::Model& m = model.model();
  for (int32_t input : *m.inputs())
    visit(input, interpreter.tensor(input));
  for (int i = 0; i < interpreter.op_count(); ++i) {
    if (interpreter.InvokeRange(i, i + 1) != Status::kOk)
      throw HostError(model.name() + ": " + interpreter.error());
    for (int32_t out : *m.operators()->Get(static_cast<uint32_t>(i))->outputs())
      visit(out, interpreter.tensor(out));
  }
}

double EntropyThreshold(const std::vector<double>& histogram, double bin_width) {
  const int bins = static_cast<int>(histogram.size());
  double best_kl = INFINITY;
  int best = bins;
  for (int i = kTargetLevels; i <= bins; ++i) {
    // P: the first i bins, everything beyond folded into the last.
    std::vector<double> p(histogram.begin(), histogram.begin() + i);
    for (int j = i; j < bins; ++j)
      p[static_cast<size_t>(i - 1)] += histogram[static_cast<size_t>(j)];
    // Q: the first i bins merged into 128 levels, each level's count spread evenly over its
    // non-empty bins.
    std::vector<double> q(static_cast<size_t>(i), 0.0);
    for (int level = 0; level < kTargetLevels; ++level) {
      const int begin = level * i / kTargetLevels, end = (level + 1) * i / kTargetLevels;
      double count = 0;
      int nonzero = 0;
      for (int j = begin; j < end; ++j) {
        count += histogram[static_cast<size_t>(j)];
        nonzero += histogram[static_cast<size_t>(j)] > 0;
      }
      for (int j = begin; j < end; ++j) {
        if (histogram[static_cast<size_t>(j)] > 0) q[static_cast<size_t>(j)] = count / nonzero;
      }
    }
    double p_sum = 0, q_sum = 0;
    for (int j = 0; j < i; ++j)
      p_sum += p[static_cast<size_t>(j)], q_sum += q[static_cast<size_t>(j)];
    if (p_sum == 0 || q_sum == 0) continue;
    for (int j = 0; j < i; ++j) {
      p[static_cast<size_t>(j)] /= p_sum;
      // Bins that Q leaves empty but P does not (the folded outliers) get a tiny mass, as TensorRT
      // smooths, so the divergence stays finite.
      q[static_cast<size_t>(j)] = q[static_cast<size_t>(j)] > 0
                                      ? q[static_cast<size_t>(j)] / q_sum
                                      : (p[static_cast<size_t>(j)] > 0 ? 1e-12 : 0);
    }
    const double kl = KlDivergence(p, q);
    if (kl < best_kl) {
      best_kl = kl;
      best = i;
    }
  }
  return (best + 0.5) * bin_width;
}

std::vector<TensorRange> Calibrate(LoadedModel& model, const SampleSet& samples,
                                   const CalibrationOptions& options) {
  const int tensors = model.interpreter().tensor_count();
  std::vector<TensorStats> stats(static_cast<size_t>(tensors));
  const bool histograms = options.method != CalibrationMethod::kMinMax;
  ProgressBar bar("calibrating (" + DescribeCalibration(options) + ")",
                  static_cast<int64_t>(samples.samples.size()) * (histograms ? 2 : 1),
                  options.progress);
  int64_t done = 0;
  for (const auto& sample : samples.samples) {
    TraceTensors(model, sample, [&](int t, const TensorView& v) {
      const float* data = FloatData(v);
      if (!data) return;
      TensorRange& r = stats[static_cast<size_t>(t)].range;
      for (int64_t i = 0; i < v.shape.ElementCount(); ++i) {
        if (!std::isfinite(data[i])) {
          const auto* name = model.model().tensors()->Get(static_cast<uint32_t>(t))->name();
          throw HostError("calibration: tensor '" + (name ? name->str() : std::string()) +
                          "' holds a non-finite value");
        }
        if (!r.observed) r.min = r.max = data[i], r.observed = true;
        r.min = std::min(r.min, data[i]);
        r.max = std::max(r.max, data[i]);
      }
    });
    bar.Update(++done);
  }
  if (histograms) {
    for (TensorStats& s : stats)
      s.histogram.assign(kHistogramBins, 0.0);
    for (const auto& sample : samples.samples) {
      TraceTensors(model, sample, [&](int t, const TensorView& v) {
        const float* data = FloatData(v);
        TensorStats& s = stats[static_cast<size_t>(t)];
        if (!data || !s.range.observed) return;
        const double lo = options.method == CalibrationMethod::kEntropy ? 0.0 : s.range.min;
        const double hi = options.method == CalibrationMethod::kEntropy
                              ? std::max(std::fabs(s.range.min), std::fabs(s.range.max))
                              : s.range.max;
        if (!(hi > lo)) return;
        for (int64_t i = 0; i < v.shape.ElementCount(); ++i) {
          // Exact zeros (what Relu and padding make) say nothing about the range; in the entropy
          // histogram their spike in bin 0 would make the smallest threshold look best.
          if (options.method == CalibrationMethod::kEntropy && data[i] == 0.0f) continue;
          const double x =
              options.method == CalibrationMethod::kEntropy ? std::fabs(data[i]) : data[i];
          int bin = static_cast<int>((x - lo) / (hi - lo) * kHistogramBins);
          s.histogram[static_cast<size_t>(std::clamp(bin, 0, kHistogramBins - 1))] += 1;
        }
      });
      bar.Update(++done);
    }
  }
  bar.Finish();
  std::vector<TensorRange> ranges(static_cast<size_t>(tensors));
  for (int t = 0; t < tensors; ++t) {
    TensorStats& s = stats[static_cast<size_t>(t)];
    ranges[static_cast<size_t>(t)] = s.range;
    if (!s.range.observed || !histograms) continue;
    double total = 0;
    for (double c : s.histogram)
      total += c;
    if (total == 0) continue;
    if (options.method == CalibrationMethod::kPercentile) {
      const double width = (static_cast<double>(s.range.max) - s.range.min) / kHistogramBins;
      const double tail = total * (100.0 - options.percentile) / 100.0;
      double below = 0;
      int lo_bin = 0, hi_bin = kHistogramBins - 1;
      while (lo_bin < kHistogramBins - 1 &&
             below + s.histogram[static_cast<size_t>(lo_bin)] <= tail)
        below += s.histogram[static_cast<size_t>(lo_bin++)];
      double above = 0;
      while (hi_bin > 0 && above + s.histogram[static_cast<size_t>(hi_bin)] <= tail)
        above += s.histogram[static_cast<size_t>(hi_bin--)];
      ranges[static_cast<size_t>(t)].min = static_cast<float>(s.range.min + lo_bin * width);
      ranges[static_cast<size_t>(t)].max = static_cast<float>(s.range.min + (hi_bin + 1) * width);
    } else {
      const double absmax = std::max(std::fabs(s.range.min), std::fabs(s.range.max));
      const float threshold =
          static_cast<float>(EntropyThreshold(s.histogram, absmax / kHistogramBins));
      ranges[static_cast<size_t>(t)].min = std::max(s.range.min, -threshold);
      ranges[static_cast<size_t>(t)].max = std::min(s.range.max, threshold);
    }
  }
  return ranges;
}

}  // namespace vigil::quant
