#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "host/error.h"

namespace vigil::ecg {
namespace {

std::vector<uint8_t> Words(std::initializer_list<uint16_t> words) {
  std::vector<uint8_t> out;
  for (uint16_t w : words)
    out.push_back(static_cast<uint8_t>(w)), out.push_back(static_cast<uint8_t>(w >> 8));
  return out;
}

constexpr uint16_t W(int code, int value) {
  return static_cast<uint16_t>(code << 10 | value);
}

TEST(WfdbAnnotations, DecodesTimesSkipAuxSubChnNumByTheFormat) {
  // N at 18; SKIP of 70000 then V at 70000 + 18 + 5; SUB 3 on it; "(AFIB" rhythm change; CHN 1, NUM 2.
  const auto bytes = Words({W(1, 18), W(59, 0), 0x0001, 0x1170 /* 70000 = 0x00011170 */, W(5, 5),
                            W(61, 3), W(28, 10), W(63, 5), 0x4128, 0x4946, 0x0042 /* "(AFIB" */,
                            W(62, 1), W(60, 2), W(1, 1), 0});
  const std::vector<WfdbAnnotation> a = ParseWfdbAnnotations(bytes, "t.atr");
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].time, 18);
  EXPECT_EQ(AnnotationSymbol(a[0].code), 'N');
  EXPECT_EQ(a[1].time, 70023);
  EXPECT_EQ(AnnotationSymbol(a[1].code), 'V');
  EXPECT_EQ(a[1].subtype, 3);
  EXPECT_EQ(a[2].time, 70033);
  EXPECT_EQ(a[2].aux, "(AFIB");
  EXPECT_EQ(a[2].channel, 1);
  EXPECT_EQ(a[2].number, 2);
  EXPECT_EQ(a[3].channel, 1);  // CHN and NUM carry over to later annotations
  EXPECT_EQ(a[3].number, 2);
  EXPECT_TRUE(IsQrsCode(a[1].code));
  EXPECT_FALSE(IsQrsCode(a[2].code));
}

TEST(WfdbAnnotations, RoundTripThroughTheWriter) {
  std::vector<WfdbAnnotation> in(3);
  in[0] = {100, 1, 0, 0, 0, ""};
  in[1] = {200000, 8, 2, 1, 0, ""};
  in[2] = {200001, 28, 0, 1, 3, "(N"};
  EXPECT_EQ(ParseWfdbAnnotations(SerializeWfdbAnnotations(in), "t").size(), 3u);
  const auto out = ParseWfdbAnnotations(SerializeWfdbAnnotations(in), "t");
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].time, in[i].time);
    EXPECT_EQ(out[i].code, in[i].code);
    EXPECT_EQ(out[i].subtype, in[i].subtype);
    EXPECT_EQ(out[i].channel, in[i].channel);
    EXPECT_EQ(out[i].number, in[i].number);
    EXPECT_EQ(out[i].aux, in[i].aux);
  }
}

TEST(WfdbAnnotations, MalformedFilesAreErrors) {
  EXPECT_THROW(ParseWfdbAnnotations(Words({W(1, 5)}), "t"), HostError);  // no end marker
  EXPECT_THROW(ParseWfdbAnnotations(std::vector<uint8_t>{1, 2, 3}, "t"), HostError);  // odd length
  EXPECT_THROW(ParseWfdbAnnotations(Words({W(59, 0), 1}), "t"), HostError);  // truncated SKIP
  EXPECT_THROW(ParseWfdbAnnotations(Words({W(1, 1), W(63, 9), 0}), "t"),
               HostError);  // AUX past the end
  EXPECT_THROW(ParseWfdbAnnotations(Words({W(59, 0), 0xFFFF, 0xFFFF, 0}), "t"),
               HostError);                                                  // backwards
  EXPECT_THROW(ParseWfdbAnnotations(Words({0, W(1, 1)}), "t"), HostError);  // data after the end
}

TEST(WfdbAnnotations, MitdbRecord100HasItsPublishedBeatCounts) {
  const char* data = std::getenv("VIGIL_DATA_DIR");
  const std::string path = std::string(data ? data : "../shared/data") + "/mitdb/100.atr";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "MIT-BIH Arrhythmia Database (mitdb) not found: " << path;
  int beats = 0, n = 0, a = 0, v = 0;
  for (const WfdbAnnotation& ann : ReadWfdbAnnotations(path)) {
    beats += IsQrsCode(ann.code);
    n += AnnotationSymbol(ann.code) == 'N';
    a += AnnotationSymbol(ann.code) == 'A';
    v += AnnotationSymbol(ann.code) == 'V';
  }
  EXPECT_EQ(beats, 2273);  // 2239 N, 33 A, 1 V (mitdb's published table)
  EXPECT_EQ(n, 2239);
  EXPECT_EQ(a, 33);
  EXPECT_EQ(v, 1);
}

}  // namespace
}  // namespace vigil::ecg
