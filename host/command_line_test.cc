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

}  // namespace
}  // namespace vigil
