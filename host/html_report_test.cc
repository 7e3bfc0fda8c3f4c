#include "host/html_report.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(HtmlReport, FormatsNumbersToSignificantDigits) {
  EXPECT_EQ(FormatNumber(49712), "49712");
  EXPECT_EQ(FormatNumber(0.93451), "0.9345");
  EXPECT_EQ(FormatNumber(12.7), "12.7");
  // What `vigil ecg eval` printed as "1.319235 s for 3611.111111 s".
  EXPECT_EQ(FormatNumber(1.319235), "1.319");
  EXPECT_EQ(FormatNumber(3611.111111), "3611");
  EXPECT_EQ(FormatNumber(0.000123456), "0.0001235");
  EXPECT_EQ(FormatNumber(0.8421, 2), "0.84");
}

TEST(HtmlReport, EscapesMarkup) {
  EXPECT_EQ(HtmlEscape("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
}

}  // namespace
}  // namespace vigil
