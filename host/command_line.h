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
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

class CommandLine {
 public:
  CommandLine(std::string command, std::string summary);

  void Flag(const std::string& short_name, const std::string& long_name, bool* out,
            const std::string& help);
  void Option(const std::string& short_name, const std::string& long_name, std::string* out,
              const std::string& metavar, const std::string& help);
  void Option(const std::string& short_name, const std::string& long_name, int* out,
              const std::string& metavar, const std::string& help);
  void Option(const std::string& short_name, const std::string& long_name, double* out,
              const std::string& metavar, const std::string& help);
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
