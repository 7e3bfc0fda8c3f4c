// The `vigil ecg eval` HTML report read back: numbers to sensible digits, and in the worst-error
// strips the reference's and our class letter of one beat both legible.
#include "apps/ecg_evaluation/eval_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "host/atomic_file.h"

namespace vigil::ecg {
namespace {

std::string ReportOf(const Evaluation& ev) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("vigil_ecg_report_" + std::to_string(::getpid()) + ".html"))
                         .string();
  WriteEvaluationReport(ev, "demo", "vigil ecg eval", path);
  std::string html = ReadFileText(path);
  std::filesystem::remove(path);
  return html;
}

Evaluation OneRecord() {
  Evaluation ev;
  ev.analysis_seconds = 1.319235;
  ev.signal_seconds = 3611.111111;
  RecordResult r;
  r.record = "208";
  r.stats.qrs_se = 99.9, r.stats.qrs_ppv = 99.8;
  r.veb_sveb_errors = 1;
  ErrorStrip strip;
  strip.record = "208";
  strip.first_sample = 360 * 600;
  strip.millivolts.assign(360 * 4, 0.1f);
  strip.reference = {{360 * 601, 'V'}, {360 * 602, 'N'}};
  strip.test = {{360 * 601, 'n'}, {360 * 602, 'n'}};
  strip.what = "V called n at 10:01.0";
  r.strips.push_back(strip);
  ev.records.push_back(r);
  return ev;
}

TEST(EcgEvalReport, PrintsTimesToSignificantDigits) {
  std::string html = ReportOf(OneRecord());
  EXPECT_NE(html.find("1.319 s for 3611 s of ECG"), std::string::npos);
  EXPECT_EQ(html.find("1.319235"), std::string::npos);
  EXPECT_EQ(html.find("3611.111111"), std::string::npos);
}

TEST(EcgEvalReport, StripShowsTheReferenceAndOurLabelApart) {
  std::string html = ReportOf(OneRecord());
  // The class letters the strip draws: x, y and colour of each.
  std::regex label(
      "<text x='([0-9.]+)' y='([0-9.]+)' font-size='10' "
      "fill='(#1b5e20|#b71c1c)'>([A-Za-z])</text>");
  struct Label {
    double x, y;
    std::string color, letter;
  };
  std::vector<Label> labels;
  for (std::sregex_iterator it(html.begin(), html.end(), label), end; it != end; ++it) {
    labels.push_back({std::stod((*it)[1]), std::stod((*it)[2]), (*it)[3], (*it)[4]});
  }
  ASSERT_EQ(labels.size(), 4u);
  for (const Label& reference : labels) {
    if (reference.color != "#1b5e20") continue;
    for (const Label& ours : labels) {
      if (ours.color != "#b71c1c" || std::abs(ours.x - reference.x) > 1e-6) continue;
      // Same beat, same x: the letters must be at least a line (10 px font) apart.
      EXPECT_GE(std::abs(ours.y - reference.y), 10)
          << reference.letter << " and " << ours.letter << " drawn on top of each other";
    }
  }
}

}  // namespace
}  // namespace vigil::ecg
