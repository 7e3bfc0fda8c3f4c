// Command-line parsing for `vigil` subcommands: declared options, generated --help, clear errors.
//
//   CommandLine cli("vigil compile", "Compile an ONNX model into a Vigil model file (.vgl)");
//   std::string input, output = "model.vgl";
//   cli.Positional("MODEL.onnx", &input, "the ONNX model");
//   cli.Option("-o", "--output", &output, "FILE", "where to write the model");
//   if (auto exit_code = cli.Parse(argc, argv)) return *exit_code;   // --help or a usage error
//
// Parse returns an exit code when the command should stop (0 after --help, 2 on a usage error,
// with the message already printed) and nothing when the command should run.
//
// Numbers: every numeric option declares the values it accepts, which --help shows and Parse
// enforces (docs/architecture.md, "Numbers on the command line"):
//   int port = 8080;
//   cli.Option("-p", "--port", &port, "N", "port (default 8080)", IntegerRange{1, 65535});
// `vigil --port 83967` then stops with "--port expects an integer from 1 to 65535, got '83967'"
// instead of wrapping the value. ParseInteger and ParseReal are the same parser for numbers inside
// other values (a list of SNRs, NAME=PERCENT).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

// The integers an option accepts: min <= value <= max.
struct IntegerRange {
  int64_t min, max;
};
// The reals an option accepts: always finite, and min <= value <= max, or min < value <= max
// when min_excluded (a duration "over 0").
struct RealRange {
  double min, max;
  bool min_excluded = false;
};

// The one number parser of the command line. The whole of `text` must be a decimal number within
// `range`: trailing characters, a sign on an unsigned range, overflow, "inf" and "nan" are all
// refused with a HostError naming `option`, `text` and the range
// ("--release-counter expects an integer from 0 to 4294967295, got '4294967299'").
int64_t ParseInteger(const std::string& option, const std::string& text, IntegerRange range);
double ParseReal(const std::string& option, const std::string& text, RealRange range);
// "an integer from 1 to 65535", "a number over 0 and at most 36500": the range in words.
std::string DescribeRange(IntegerRange range);
std::string DescribeRange(RealRange range);

class CommandLine {
 public:
  CommandLine(std::string command, std::string summary);

  void Flag(const std::string& short_name, const std::string& long_name, bool* out,
            const std::string& help);
  void Option(const std::string& short_name, const std::string& long_name, std::string* out,
              const std::string& metavar, const std::string& help);
  // Numeric options: the value must lie in `range` (for int, a range within int's).
  void Option(const std::string& short_name, const std::string& long_name, int* out,
              const std::string& metavar, const std::string& help, IntegerRange range);
  void Option(const std::string& short_name, const std::string& long_name, int64_t* out,
              const std::string& metavar, const std::string& help, IntegerRange range);
  void Option(const std::string& short_name, const std::string& long_name, double* out,
              const std::string& metavar, const std::string& help, RealRange range);
  void Repeated(const std::string& short_name, const std::string& long_name,
                std::vector<std::string>* out, const std::string& metavar, const std::string& help);
  void Positional(const std::string& metavar, std::string* out, const std::string& help,
                  bool required = true);
  // Free text after the options list in --help (examples, notes).
  void Epilog(const std::string& text) { epilog_ = text; }

  std::optional<int> Parse(int argc, char** argv);
  // Whether the user gave this option on the command line (by its long name, e.g. "--output").
  bool Given(const std::string& long_name) const;
  std::string Help() const;

 private:
  struct Spec {
    std::string short_name, long_name, metavar, help;
    bool takes_value = false;
    std::function<void(const std::string&)> set;
  };
  struct PositionalSpec {
    std::string metavar, help;
    std::string* out;
    bool required;
  };
  const Spec* Find(const std::string& name) const;

  std::string command_, summary_, epilog_;
  std::vector<Spec> specs_;
  std::vector<PositionalSpec> positionals_;
  std::vector<std::string> given_;
};

// A `vigil` subcommand: its name, one-line summary, and entry point (argv[0] is the subcommand).
struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

// Runs argv[1] among `subcommands` ("vigil ecg eval ..."), printing a list on --help or a miss.
int DispatchSubcommand(const std::string& prefix, const std::vector<Subcommand>& subcommands,
                       int argc, char** argv);

}  // namespace vigil
