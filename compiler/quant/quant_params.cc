#include "compiler/quant/quant_params.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "host/error.h"

namespace vigil::quant {

double RoundHalfAway(double x) {
  return std::round(x);
}

AffineQuant ChooseActivationQuant(float lo_in, float hi_in) {
  double lo = std::min<double>(lo_in, 0.0), hi = std::max<double>(hi_in, 0.0);
  if (!(hi - lo > 1e-30)) {
    lo = 0.0;
    hi = 1.0;
  }
  AffineQuant q;
  q.scale = static_cast<float>((hi - lo) / 255.0);
  q.zero_point = static_cast<int32_t>(
      std::clamp(RoundHalfAway(-128.0 - lo / static_cast<double>(q.scale)), -128.0, 127.0));
  return q;
}

QuantizedWeights QuantizeWeights(const std::vector<float>& w, const std::vector<int32_t>& shape,
                                 int axis) {
  QuantizedWeights out;
  out.axis = axis;
  const int64_t channels = axis < 0 ? 1 : shape.at(static_cast<size_t>(axis));
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(axis < 0 ? shape.size() : axis + 1); d < shape.size(); ++d)
    inner *= shape[d];
  auto channel_of = [&](size_t i) {
    return axis < 0 ? 0 : static_cast<int64_t>(i / static_cast<size_t>(inner)) % channels;
  };
  std::vector<double> absmax(static_cast<size_t>(channels), 0.0);
  for (size_t i = 0; i < w.size(); ++i) {
    absmax[static_cast<size_t>(channel_of(i))] =
        std::max(absmax[static_cast<size_t>(channel_of(i))], std::fabs(static_cast<double>(w[i])));
  }
  for (double m : absmax)
    out.scales.push_back(m > 0 ? static_cast<float>(m / 127.0) : 1.0f);
  out.values.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    const double q =
        RoundHalfAway(static_cast<double>(w[i]) / out.scales[static_cast<size_t>(channel_of(i))]);
    out.values[i] = static_cast<int8_t>(std::clamp(q, -127.0, 127.0));
  }
  return out;
}

std::vector<int32_t> QuantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales) {
  std::vector<int32_t> out(bias.size());
  for (size_t c = 0; c < bias.size(); ++c) {
    const double scale =
        static_cast<double>(input_scale) * weight_scales[weight_scales.size() == 1 ? 0 : c];
    const double q = RoundHalfAway(static_cast<double>(bias[c]) / scale);
    out[c] = static_cast<int32_t>(
        std::clamp(q, static_cast<double>(INT32_MIN), static_cast<double>(INT32_MAX)));
  }
  return out;
}

std::vector<int8_t> QuantizeValues(const std::vector<float>& values, AffineQuant q) {
  std::vector<int8_t> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const double v = RoundHalfAway(static_cast<double>(values[i]) / q.scale) + q.zero_point;
    out[i] = static_cast<int8_t>(std::clamp(v, -128.0, 127.0));
  }
  return out;
}

std::vector<int8_t> ActivationTable(const ActivationFunction& f, AffineQuant in, AffineQuant out) {
  std::vector<int8_t> table(256);
  for (int q = -128; q <= 127; ++q) {
    const double r = static_cast<double>(in.scale) * (q - in.zero_point);
    double v = r;
    if (f.sigmoid) {
      v = 1.0 / (1.0 + std::exp(-r));
    } else if (f.tanh) {
      v = std::tanh(r);
    } else if (f.kind == schema::ActivationKind::Relu) {
      v = std::max(r, 0.0);
    } else if (f.kind == schema::ActivationKind::Clip) {
      v = std::min(std::max(r, static_cast<double>(f.min)), static_cast<double>(f.max));
    } else if (f.kind == schema::ActivationKind::LeakyRelu) {
      v = r >= 0 ? r : static_cast<double>(f.alpha) * r;
    }
    const double y = RoundHalfAway(v / static_cast<double>(out.scale)) + out.zero_point;
    table[static_cast<size_t>(q + 128)] = static_cast<int8_t>(std::clamp(y, -128.0, 127.0));
  }
  return table;
}

std::vector<int32_t> SoftmaxExpTable(float input_scale) {
  std::vector<int32_t> table(256);
  for (int k = 0; k < 256; ++k) {
    table[static_cast<size_t>(k)] = static_cast<int32_t>(
        RoundHalfAway(std::exp(static_cast<double>(input_scale) * (k - 255)) * 65536.0));
  }
  return table;
}

}  // namespace vigil::quant
