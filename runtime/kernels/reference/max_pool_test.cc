// MaxPool: golden cases from torch, or a float64 NumPy loop where torch lacks the case
// (testing/golden/kernels/max_pool_golden.h: 1-d and 2-d, strides, pads incl. asymmetric, dilation,
// ceil mode incl. the dropped last window), the window-shape rejections shared with AveragePool,
// and int8: every path (rows of pairs, windows inside the input, the general one) against the
// spec's maximum on generated shapes, and the fast paths against the general path byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "testing/golden/golden_expect.h"
#include "testing/golden/golden_models.h"
#include "testing/golden/kernels/max_pool_golden.h"

namespace vigil {
namespace {

namespace golden = testing::golden;
using ::testing::HasSubstr;

class MaxPoolGolden : public ::testing::TestWithParam<golden::PoolCase> {};

TEST_P(MaxPoolGolden, MatchesReference) {
  golden::GoldenModel m = golden::PoolModel(GetParam(), OpCode::kMaxPool);
  golden::ExpectMatches(golden::RunGolden(m), *m.expected);
}

INSTANTIATE_TEST_SUITE_P(TorchOrNumPy, MaxPoolGolden, ::testing::ValuesIn(golden::kMaxPoolCases),
                         golden::CaseName());

std::string Rejection(const golden::PoolCase& c) {
  golden::GoldenModel m = golden::PoolModel(c, OpCode::kMaxPool);
  return golden::RejectionOf(*m.model);
}

const golden::PoolCase& Find(const std::string& name) {
  for (const auto& c : golden::kMaxPoolCases) {
    if (name == c.name) return c;
  }
  throw std::runtime_error("no golden case " + name);
}

TEST(MaxPoolPrepare, RejectsAMissingOrWrongLengthKernel) {
  golden::PoolCase c = golden::kMaxPoolCases[0];
  c.kernel = {};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
  c.kernel = {2, 2, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
  c.kernel = {2, 2};
  c.strides = {2};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
}

TEST(MaxPoolPrepare, RejectsAZeroKernel) {
  golden::PoolCase c = golden::kMaxPoolCases[0];
  c.kernel = {0, 2};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): kernel sizes must be positive"));
}

TEST(MaxPoolPrepare, AcceptsFloorAndCeilSizesOnly) {
  golden::PoolCase c = Find("max2d_ceil_mode");  // 5x5, kernel 2, stride 2: floor 2, ceil 3
  c.y.shape = {1, 1, 2, 2};
  c.y.values.resize(4);
  EXPECT_EQ(Rejection(c), "");
  c.y.shape = {1, 1, 4, 3};
  c.y.values.resize(12);
  EXPECT_THAT(Rejection(c),
              HasSubstr("(MaxPool): output size does not follow from the window parameters"));
}

TEST(MaxPoolPrepare, RejectsACeilWindowThatWouldStartInTheEndPad) {
  // 5 + pads 1 + 1, kernel 2, stride 2: ceil gives 4 windows, but the 4th starts at 6 >= 5 + 1.
  golden::PoolCase c = Find("max2d_ceil_mode_last_window_dropped");
  ASSERT_EQ(c.y.shape, (std::vector<int32_t>{1, 1, 3, 3}));
  c.y.shape = {1, 1, 4, 4};
  c.y.values.resize(16);
  EXPECT_THAT(Rejection(c),
              HasSubstr("(MaxPool): output size does not follow from the window parameters"));
}

TEST(MaxPoolPrepare, RejectsChangedBatchOrChannelsAndOtherRanks) {
  golden::PoolCase c = golden::kMaxPoolCases[0];  // 1x2x4x4 -> 1x2x2x2
  c.y.shape = {1, 1, 2, 4};
  EXPECT_THAT(
      Rejection(c),
      HasSubstr("(MaxPool): input and output must be NC(H)W of rank 3 or 4 with equal N and C"));
  c = golden::kMaxPoolCases[0];
  c.x.shape = {1, 2, 4, 4, 1};
  c.y.shape = {1, 2, 2, 2, 1};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): input and output must be NC(H)W of rank 3 or 4"));
}

TEST(MaxPoolPrepare, RejectsNegativePadsAndZeroDilation) {
  golden::PoolCase c = golden::kMaxPoolCases[1];
  c.pads = {1, 1, 1, -1};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
  c = golden::kMaxPoolCases[1];
  c.dilations = {1, 0};
  EXPECT_THAT(Rejection(c), HasSubstr("(MaxPool): bad kernel, strides, pads or dilations"));
}

TEST(MaxPoolPrepare, RejectsMixedAndInt32Dtypes) {
  testing::OpTestModel mixed;
  int x = mixed.Input({1, 1, 4});
  int y = mixed.Output({1, 1, 2}, schema::DType::Int32);
  mixed.AddOp(OpCode::kMaxPool, {x}, {y}, testing::PoolParams({2}, {2}, {0, 0}));
  EXPECT_THAT(golden::RejectionOf(mixed), HasSubstr("(MaxPool): input and output dtypes differ"));

  testing::OpTestModel int32;
  x = int32.Input({1, 1, 4}, schema::DType::Int32);
  y = int32.Output({1, 1, 2}, schema::DType::Int32);
  int32.AddOp(OpCode::kMaxPool, {x}, {y}, testing::PoolParams({2}, {2}, {0, 0}));
  EXPECT_THAT(golden::RejectionOf(int32),
              HasSubstr("(MaxPool): only float32 tensors are supported"));
}

// int8 MaxPool: Prepare picks a fast path when no window reaches the padding (rows of pairs for
// kernel 2, stride 2; any other window without bounds checks) and the general path otherwise.
struct Int8Pool {
  std::vector<int32_t> x_shape;  // NCW or NCHW
  std::vector<int32_t> kernel, strides, pads, dilations;
  bool ceil_mode;
  int32_t zero_point;  // the input's and output's: MaxPool's result does not depend on it
  uint32_t seed;
};

std::string Describe(const Int8Pool& c) {
  auto list = [](const std::vector<int32_t>& v) {
    std::string text;
    for (int32_t d : v)
      text += (text.empty() ? "" : ",") + std::to_string(d);
    return "[" + text + "]";
  };
  return "x " + list(c.x_shape) + ", kernel " + list(c.kernel) + ", strides " + list(c.strides) +
         ", pads " + list(c.pads) + ", dilations " + list(c.dilations) + ", ceil " +
         std::to_string(c.ceil_mode) + ", zero point " + std::to_string(c.zero_point) + ", seed " +
         std::to_string(c.seed);
}

// ONNX's output length (PoolShape's rule: a ceil window must start inside the input or its leading
// pad); 0 when some window would lie wholly in the padding, which Prepare rejects.
int32_t OutputLength(int32_t in, int32_t k, int32_t s, int32_t d, int32_t pb, int32_t pe,
                     bool ceil_mode) {
  const int32_t span = in + pb + pe - d * (k - 1) - 1;
  if (span < 0) return 0;
  int32_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && (out - 1) * s >= in + pb) --out;
  for (int32_t o = 0; o < out; ++o) {
    bool sees = false;
    for (int32_t j = 0; j < k; ++j)
      sees = sees || (o * s - pb + j * d >= 0 && o * s - pb + j * d < in);
    if (!sees) return 0;
  }
  return out;
}

std::vector<int32_t> OutputShape(const Int8Pool& c) {
  const int n = static_cast<int>(c.kernel.size());
  std::vector<int32_t> y = {c.x_shape[0], c.x_shape[1]};
  for (int i = 0; i < n; ++i) {
    y.push_back(OutputLength(c.x_shape[2 + i], c.kernel[i], c.strides[i], c.dilations[i], c.pads[i],
                             c.pads[n + i], c.ceil_mode));
  }
  return y;
}

std::vector<uint8_t> RandomInt8(const Int8Pool& c) {
  std::mt19937 rng(c.seed);
  int64_t count = 1;
  for (int32_t d : c.x_shape)
    count *= d;
  std::vector<uint8_t> x(static_cast<size_t>(count));
  // Uniform bytes, or mostly the extremes, so that windows of all -128 and ties of 127 occur.
  const bool extremes = rng() % 2 == 0;
  for (uint8_t& v : x) {
    const uint32_t r = static_cast<uint32_t>(rng());
    v = static_cast<uint8_t>(extremes && r % 4 != 0 ? (r % 8 < 5 ? 0x80 : 0x7f) : r >> 8);
  }
  return x;
}

std::vector<uint8_t> RunInt8Pool(const Int8Pool& c, const std::vector<uint8_t>& x_bytes) {
  testing::OpTestModel m;
  int x = m.Input(c.x_shape, schema::DType::Int8);
  int y = m.Output(OutputShape(c), schema::DType::Int8);
  m.Quantize(x, {0.5f}, {c.zero_point});
  m.Quantize(y, {0.5f}, {c.zero_point});
  schema::PoolParamsT p;
  p.kernel = c.kernel;
  p.strides = c.strides;
  p.pads = c.pads;
  p.dilations = c.dilations;
  schema::OpParamsUnion params;
  params.Set(std::move(p));
  m.AddOp(OpCode::kMaxPool, {x}, {y}, std::move(params));
  return m.RunBytes({x_bytes})[0];
}

// Spec 5.8: the maximum q over the window's positions inside the input.
std::vector<uint8_t> SpecMaxPool(const Int8Pool& c, const std::vector<uint8_t>& x) {
  const bool two_d = c.kernel.size() == 2;
  const std::vector<int32_t> ys = OutputShape(c);
  const int32_t in_h = two_d ? c.x_shape[2] : 1, in_w = c.x_shape.back();
  const int32_t out_h = two_d ? ys[2] : 1, out_w = ys.back();
  const int32_t k[2] = {two_d ? c.kernel[0] : 1, c.kernel.back()};
  const int32_t s[2] = {two_d ? c.strides[0] : 1, c.strides.back()};
  const int32_t d[2] = {two_d ? c.dilations[0] : 1, c.dilations.back()};
  const int32_t pad[2] = {two_d ? c.pads[0] : 0, c.pads[two_d ? 1 : 0]};
  std::vector<uint8_t> y;
  for (int32_t plane = 0; plane < c.x_shape[0] * c.x_shape[1]; ++plane) {
    for (int32_t oh = 0; oh < out_h; ++oh) {
      for (int32_t ow = 0; ow < out_w; ++ow) {
        int best = -129;
        for (int32_t kh = 0; kh < k[0]; ++kh) {
          for (int32_t kw = 0; kw < k[1]; ++kw) {
            const int32_t ih = oh * s[0] - pad[0] + kh * d[0], iw = ow * s[1] - pad[1] + kw * d[1];
            if (ih < 0 || ih >= in_h || iw < 0 || iw >= in_w) continue;
            best = std::max(
                best,
                int{static_cast<int8_t>(x[(static_cast<size_t>(plane) * in_h + ih) * in_w + iw])});
          }
        }
        y.push_back(static_cast<uint8_t>(best));
      }
    }
  }
  return y;
}

// The same numbers through the general path: a 1-d pool as a 2-d one over a single row with a
// window 2 rows high, stride 2, 1 row of padding on top. Its one output row sees the padding row
// (which never wins) and the input row, and a window that reaches the padding rules out the fast
// paths.
Int8Pool AsGeneralPath(const Int8Pool& c) {
  Int8Pool g = c;
  g.x_shape.insert(g.x_shape.begin() + 2, 1);
  g.kernel.insert(g.kernel.begin(), 2);
  g.strides.insert(g.strides.begin(), 2);
  g.dilations.insert(g.dilations.begin(), 1);
  g.pads = {1, c.pads[0], 0, c.pads[1]};
  return g;
}

void ExpectInt8MaxPoolMatches(const Int8Pool& c) {
  SCOPED_TRACE(Describe(c));
  const std::vector<int32_t> y_shape = OutputShape(c);
  for (size_t i = 2; i < y_shape.size(); ++i)
    ASSERT_GT(y_shape[i], 0) << "not a valid pool";
  const std::vector<uint8_t> x = RandomInt8(c);
  const std::vector<uint8_t> got = RunInt8Pool(c, x), want = SpecMaxPool(c, x);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(static_cast<int8_t>(got[i]), static_cast<int8_t>(want[i])) << "output " << i;
  }
  if (c.kernel.size() == 1) {
    const std::vector<uint8_t> general = RunInt8Pool(AsGeneralPath(c), x);
    ASSERT_EQ(general.size(), got.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(static_cast<int8_t>(got[i]), static_cast<int8_t>(general[i]))
          << "output " << i << " (general path)";
    }
  }
}

// Sizes at, below and above the 16 outputs GCC's SSE2 loop takes at once, rows of odd length (the
// last value left out), ceil mode, 2-d rows of pairs, and shapes that go to the general path.
TEST(MaxPoolInt8, EveryPathGivesTheSpecsMaximumOnEdgeShapes) {
  std::vector<Int8Pool> cases;
  uint32_t seed = 1;
  for (int32_t out_w : {1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100}) {
    for (int32_t extra : {0, 1}) {
      for (int32_t zp : {-128, 127}) {
        cases.push_back({{1, 3, 2 * out_w + extra}, {2}, {2}, {0, 0}, {1}, false, zp, seed++});
      }
    }
    cases.push_back(
        {{2, 2, 2 * out_w + 1}, {2}, {2}, {0, 0}, {1}, true, 0, seed++});  // partial last window
    cases.push_back({{1, 2, 3, 2 * out_w}, {1, 2}, {1, 2}, {0, 0, 0, 0}, {1, 1}, false, 5, seed++});
    cases.push_back(
        {{1, 2, 5, 2 * out_w + 1}, {1, 2}, {2, 2}, {0, 0, 0, 0}, {2, 1}, false, -1, seed++});
  }
  // The ECG classifier's pools.
  cases.push_back({{1, 16, 128}, {2}, {2}, {0, 0}, {1}, false, -128, seed++});
  cases.push_back({{1, 32, 16}, {2}, {2}, {0, 0}, {1}, false, 127, seed++});
  // Windows inside the input that are not pairs: kernel 3 stride 2, stride 1, dilation, 2x2, 3x3.
  cases.push_back({{1, 4, 33}, {3}, {2}, {0, 0}, {1}, false, 0, seed++});
  cases.push_back({{1, 4, 33}, {2}, {1}, {0, 0}, {1}, false, 0, seed++});
  cases.push_back({{1, 4, 33}, {2}, {2}, {0, 0}, {3}, false, 0, seed++});
  cases.push_back({{1, 4, 33}, {1}, {3}, {0, 0}, {1}, false, 0, seed++});
  cases.push_back({{1, 3, 8, 9}, {2, 2}, {2, 2}, {0, 0, 0, 0}, {1, 1}, false, 0, seed++});
  cases.push_back({{1, 3, 9, 9}, {3, 3}, {2, 2}, {0, 0, 0, 0}, {1, 2}, false, 0, seed++});
  // The general path: padding at the start, padding reached at the end, ceil mode.
  cases.push_back({{1, 4, 33}, {2}, {2}, {1, 0}, {1}, false, 0, seed++});
  cases.push_back({{1, 4, 34}, {2}, {2}, {1, 0}, {1}, false, 127, seed++});  // ends inside
  cases.push_back({{1, 2, 6, 34}, {1, 2}, {1, 2}, {0, 1, 0, 0}, {1, 1}, false, 127, seed++});
  cases.push_back({{1, 4, 33}, {2}, {2}, {0, 1}, {1}, false, 0, seed++});
  cases.push_back({{1, 4, 33}, {3}, {2}, {1, 1}, {1}, true, 0, seed++});
  cases.push_back({{1, 3, 7, 7}, {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}, true, 0, seed++});
  for (const Int8Pool& c : cases) {
    ExpectInt8MaxPoolMatches(c);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(MaxPoolInt8, EveryPathGivesTheSpecsMaximumOnRandomShapes) {
  std::mt19937 rng(20250301);
  auto pick = [&rng](int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(rng() % static_cast<uint32_t>(hi - lo + 1));
  };
  const int32_t zero_points[] = {-128, 127, 0, -1, 42};
  int tried = 0;
  for (uint32_t trial = 0; tried < 300; ++trial) {
    const bool two_d = rng() % 3 == 0, pairs = rng() % 2 == 0;
    Int8Pool c{};
    c.x_shape = {pick(1, 2), pick(1, 4)};
    const int n = two_d ? 2 : 1;
    c.pads.assign(2 * static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
      c.x_shape.push_back(pick(1, 40));
      const bool row_axis = i == n - 1;
      c.kernel.push_back(pairs ? (row_axis ? 2 : 1) : pick(1, 4));
      c.strides.push_back(pairs && row_axis ? 2 : pick(1, 3));
      c.dilations.push_back(pairs ? 1 : pick(1, 2));
      if (!pairs && rng() % 3 == 0) {
        c.pads[static_cast<size_t>(i)] = pick(0, c.kernel.back() - 1);
        c.pads[static_cast<size_t>(n + i)] = pick(0, c.kernel.back() - 1);
      }
    }
    c.ceil_mode = rng() % 4 == 0;
    c.zero_point = zero_points[rng() % 5];
    c.seed = 5000 + trial;
    const std::vector<int32_t> y_shape = OutputShape(c);
    bool valid = true;
    for (size_t i = 2; i < y_shape.size(); ++i)
      valid = valid && y_shape[i] > 0;
    if (!valid) continue;
    ++tried;
    ExpectInt8MaxPoolMatches(c);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace vigil
