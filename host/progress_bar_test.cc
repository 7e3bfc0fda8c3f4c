// What ProgressBar prints, read back from a temporary file standing in for stderr.
#include "host/progress_bar.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace vigil {
namespace {

std::string Printed(std::FILE* file) {
  std::string text;
  std::rewind(file);
  for (int c; (c = std::fgetc(file)) != EOF;)
    text += static_cast<char>(c);
  return text;
}

TEST(ProgressBar, OneThirdIsThirtyThreePercentOnALog) {
  std::FILE* log = std::tmpfile();
  ASSERT_NE(log, nullptr);
  {
    ProgressBar bar("work", 3, log, /*tty=*/false);
    bar.Update(1);
    bar.Update(2);
    bar.Update(3);
  }
  EXPECT_EQ(Printed(log), "work: 1/3 (33%)\nwork: 2/3 (66%)\nwork: 3/3 (100%)\n");
  std::fclose(log);
}

TEST(ProgressBar, ATerminalLineShowsThePercentageDone) {
  std::FILE* terminal = std::tmpfile();
  ASSERT_NE(terminal, nullptr);
  {
    ProgressBar bar("work", 3, terminal, /*tty=*/true);
    bar.Update(1);
  }
  std::string line = Printed(terminal);
  EXPECT_NE(line.find("1/3 33%"), std::string::npos) << line;
  EXPECT_NE(line.find("[##########....................]"), std::string::npos) << line;
  std::fclose(terminal);
}

TEST(ProgressBar, PercentDoneRoundsDown) {
  EXPECT_EQ(PercentDone(1, 3), 33);
  EXPECT_EQ(PercentDone(2, 3), 66);
  EXPECT_EQ(PercentDone(199, 200), 99);  // never 100 % before the end
  EXPECT_EQ(PercentDone(3, 3), 100);
  EXPECT_EQ(PercentDone(5, 3), 100);
  EXPECT_EQ(PercentDone(0, 0), 0);
}

}  // namespace
}  // namespace vigil
