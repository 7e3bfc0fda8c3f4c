#include "host/command_line.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>

#include "host/error.h"

namespace vigil {
namespace {

std::optional<int> ParseArgs(CommandLine& cli, std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args)
    argv.push_back(a.data());
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
  cli.Option("", "--iterations", &iterations, "N", "iterations", IntegerRange{-10, 10});
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
  cli.Option("", "--n", &n, "N", "n", IntegerRange{0, 100});
  EXPECT_EQ(ParseArgs(cli, {"x"}), 2);                     // missing positional
  EXPECT_EQ(ParseArgs(cli, {"x", "m", "--bogus"}), 2);     // unknown option
  EXPECT_EQ(ParseArgs(cli, {"x", "m", "--n", "ten"}), 2);  // not an integer
  EXPECT_EQ(ParseArgs(cli, {"x", "m", "--n"}), 2);         // missing value
  EXPECT_EQ(ParseArgs(cli, {"x", "--help"}), 0);
}

// The HostError message of parsing `text`, or "ok".
template <typename Range>
std::string Refusal(const std::string& option, const std::string& text, Range range) {
  try {
    if constexpr (std::is_same_v<Range, IntegerRange>) {
      ParseInteger(option, text, range);
    } else {
      ParseReal(option, text, range);
    }
  } catch (const HostError& e) {
    return e.what();
  }
  return "ok";
}

// The exact inputs of issue 13 item 9, each once silently wrapped or made infinite.
TEST(CommandLineNumbers, RefusesTheValuesThatOnceWrapped) {
  EXPECT_EQ(Refusal("--release-counter", "4294967299", IntegerRange{0, UINT32_MAX}),
            "--release-counter expects an integer from 0 to 4294967295, got '4294967299'");
  EXPECT_EQ(Refusal("--port", "83967", IntegerRange{1, 65535}),
            "--port expects an integer from 1 to 65535, got '83967'");
  EXPECT_EQ(Refusal("--expires-days", "inf", RealRange{0, 36500, true}),
            "--expires-days expects a number over 0 and at most 36500, got 'inf'");
  EXPECT_EQ(Refusal("--seconds", "inf", RealRange{0, 86400, true}),
            "--seconds expects a number over 0 and at most 86400, got 'inf'");
  for (const char* kib : {"0", "1", "4", "-1"}) {
    EXPECT_EQ(Refusal("--slot-kib", kib, IntegerRange{8, 1 << 20}),
              std::string("--slot-kib expects an integer from 8 to 1048576, got '") + kib + "'");
  }
}

TEST(CommandLineNumbers, RefusesEverythingButAWholeDecimalInRange) {
  const IntegerRange counts{0, UINT32_MAX};
  for (const char* bad : {"", " 1", "1 ", "+1", "-1", "1x", "0x10", "1e3", "1.0", "4294967296",
                          "99999999999999999999", "-9223372036854775809"}) {
    EXPECT_NE(Refusal("--n", bad, counts), "ok") << "'" << bad << "'";
  }
  EXPECT_EQ(Refusal("--n", "0", counts), "ok");
  EXPECT_EQ(ParseInteger("--n", "4294967295", counts), 4294967295);
  EXPECT_EQ(ParseInteger("--n", "-7", IntegerRange{-10, 10}), -7);

  const RealRange fraction{0, 1};
  for (const char* bad : {"", "nan", "NaN", "inf", "-inf", "infinity", "1e400", "-1e-400x",
                          "0x1p-1", " 0.5", "0.5 ", "0,5", "1.0000001", "-0.1", "--1"}) {
    EXPECT_NE(Refusal("--x", bad, fraction), "ok") << "'" << bad << "'";
  }
  EXPECT_EQ(ParseReal("--x", "0", fraction), 0.0);
  EXPECT_EQ(ParseReal("--x", "1", fraction), 1.0);
  EXPECT_EQ(ParseReal("--x", "2.5e-1", fraction), 0.25);
  // An excluded minimum: "over 0".
  EXPECT_NE(Refusal("--d", "0", RealRange{0, 10, true}), "ok");
  EXPECT_NE(Refusal("--d", "-0", RealRange{0, 10, true}), "ok");
  EXPECT_EQ(ParseReal("--d", "1e-9", RealRange{0, 10, true}), 1e-9);
}

TEST(CommandLineNumbers, OptionsAreUsageErrorsShowTheirRangeAndKeepTheirDefault) {
  CommandLine cli("vigil x", "x");
  int port = 8080;
  int64_t counter = 7;
  double days = 30;
  cli.Option("-p", "--port", &port, "N", "port (default 8080)", IntegerRange{1, 65535});
  cli.Option("", "--counter", &counter, "N", "counter", IntegerRange{0, UINT32_MAX});
  cli.Option("", "--days", &days, "D", "days", RealRange{0, 36500, true});
  EXPECT_EQ(ParseArgs(cli, {"x", "--port", "83967"}), 2);
  EXPECT_EQ(ParseArgs(cli, {"x", "-p", "0"}), 2);
  EXPECT_EQ(ParseArgs(cli, {"x", "--counter=4294967299"}), 2);
  EXPECT_EQ(ParseArgs(cli, {"x", "--days", "inf"}), 2);
  EXPECT_EQ(port, 8080);
  EXPECT_EQ(counter, 7);
  EXPECT_EQ(days, 30);
  EXPECT_FALSE(ParseArgs(cli, {"x", "-p", "65535", "--counter", "4294967295", "--days", "0.5"}));
  EXPECT_EQ(port, 65535);
  EXPECT_EQ(counter, 4294967295);
  EXPECT_EQ(days, 0.5);
  const std::string help = cli.Help();
  EXPECT_NE(help.find("port (default 8080); an integer from 1 to 65535"), std::string::npos)
      << help;
  EXPECT_NE(help.find("days; a number over 0 and at most 36500"), std::string::npos) << help;
}

TEST(CommandLineNumbers, AnIntOptionNeverAcceptsMoreThanAnIntHolds) {
  CommandLine cli("vigil x", "x");
  int n = 0;
  cli.Option("", "--n", &n, "N", "n", IntegerRange{0, INT64_MAX});
  EXPECT_EQ(ParseArgs(cli, {"x", "--n", "2147483648"}), 2);
  EXPECT_FALSE(ParseArgs(cli, {"x", "--n", "2147483647"}));
  EXPECT_EQ(n, INT32_MAX);
}

}  // namespace
}  // namespace vigil
