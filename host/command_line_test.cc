#include "host/command_line.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

std::optional<int> ParseArgs(CommandLine& cli, std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return cli.Parse(static_cast<int>(argv.size()), argv.data());
}

TEST(CommandLine, ParsesOptionsFlagsRepeatsAndPositionals) {
  CommandLine cli("vigil run", "Run a model");
  std::string model, output;
  std::vector<std::string> inputs;
  bool json = false;
  int iterations = 10;
  cli.Positional("MODEL", &model, "model");
  cli.Repeated("", "--input", &inputs, "FILE", "input");
  cli.Option("-o", "--output", &output, "FILE", "output");
  cli.Option("", "--iterations", &iterations, "N", "iterations");
  cli.Flag("", "--json", &json, "json");
  EXPECT_FALSE(ParseArgs(cli, {"run", "m.vgl", "--input", "a.npy", "--input=b.npy", "-o", "o.npy",
                               "--iterations", "-3", "--json"}));
  EXPECT_EQ(model, "m.vgl");
  EXPECT_EQ(inputs, (std::vector<std::string>{"a.npy", "b.npy"}));
  EXPECT_EQ(output, "o.npy");
  EXPECT_EQ(iterations, -3);
  EXPECT_TRUE(json);
  EXPECT_TRUE(cli.Given("--output"));
}

TEST(CommandLine, UsageErrorsExitWithTwo) {
  CommandLine cli("vigil x", "x");
  std::string model;
  int n = 0;
  cli.Positional("MODEL", &model, "model");
  cli.Option("", "--n", &n, "N", "n");
  EXPECT_EQ(ParseArgs(cli, {"x"}), 2);                     // missing positional
  EXPECT_EQ(ParseArgs(cli, {"x", "m", "--bogus"}), 2);     // unknown option
  EXPECT_EQ(ParseArgs(cli, {"x", "m", "--n", "ten"}), 2);  // not an integer
  EXPECT_EQ(ParseArgs(cli, {"x", "m", "--n"}), 2);         // missing value
  EXPECT_EQ(ParseArgs(cli, {"x", "--help"}), 0);
}

// Pre-fix probe (old API, no ranges): the exact inputs of issue 13 item 9.
TEST(CommandLine, NumbersThatDoNotFitAreUsageErrorsPrefixProbe) {
  CommandLine cli("vigil x", "x");
  int counter = 0, port = 0;
  double days = 30;
  cli.Option("", "--release-counter", &counter, "N", "n");
  cli.Option("", "--port", &port, "N", "n");
  cli.Option("", "--expires-days", &days, "D", "d");
  EXPECT_EQ(ParseArgs(cli, {"x", "--release-counter", "4294967299"}), 2) << "parsed as " << counter;
  EXPECT_EQ(ParseArgs(cli, {"x", "--port", "83967"}), 2) << "parsed as " << port;
  EXPECT_EQ(ParseArgs(cli, {"x", "--expires-days", "inf"}), 2) << "parsed as " << days;
}

}  // namespace
}  // namespace vigil
