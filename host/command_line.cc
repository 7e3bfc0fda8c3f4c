#include "host/command_line.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "host/error.h"

namespace vigil {
namespace {

struct UsageError {
  std::string message;
};

// Shortest text that reads back as the same double (no rounding that hides a difference).
std::string ExactText(double value) {
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, ec == std::errc() ? end : text);
}

}  // namespace

std::string DescribeRange(IntegerRange range) {
  return "an integer from " + std::to_string(range.min) + " to " + std::to_string(range.max);
}

std::string DescribeRange(RealRange range) {
  return "a number " +
         (range.min_excluded ? "over " + ExactText(range.min) + " and at most "
                             : "from " + ExactText(range.min) + " to ") +
         ExactText(range.max);
}

int64_t ParseInteger(const std::string& option, const std::string& text, IntegerRange range) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < range.min ||
      value > range.max) {
    throw HostError(option + " expects " + DescribeRange(range) + ", got '" + text + "'");
  }
  return value;
}

double ParseReal(const std::string& option, const std::string& text, RealRange range) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool above_min = range.min_excluded ? value > range.min : value >= range.min;
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value) || !above_min || !(value <= range.max)) {
    throw HostError(option + " expects " + DescribeRange(range) + ", got '" + text + "'");
  }
  return value;
}

CommandLine::CommandLine(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void CommandLine::Flag(const std::string& s, const std::string& l, bool* out,
                       const std::string& help) {
  specs_.push_back({s, l, "", help, false, [out](const std::string&) { *out = true; }});
}

void CommandLine::Option(const std::string& s, const std::string& l, std::string* out,
                         const std::string& metavar, const std::string& help) {
  specs_.push_back({s, l, metavar, help, true, [out](const std::string& v) { *out = v; }});
}

void CommandLine::Option(const std::string& s, const std::string& l, int* out,
                         const std::string& metavar, const std::string& help, IntegerRange range) {
  range = {std::max<int64_t>(range.min, INT_MIN), std::min<int64_t>(range.max, INT_MAX)};
  specs_.push_back(
      {s, l, metavar, help + "; " + DescribeRange(range), true,
       [=](const std::string& v) { *out = static_cast<int>(ParseInteger(l, v, range)); }});
}

void CommandLine::Option(const std::string& s, const std::string& l, int64_t* out,
                         const std::string& metavar, const std::string& help, IntegerRange range) {
  specs_.push_back({s, l, metavar, help + "; " + DescribeRange(range), true,
                    [=](const std::string& v) { *out = ParseInteger(l, v, range); }});
}

void CommandLine::Option(const std::string& s, const std::string& l, double* out,
                         const std::string& metavar, const std::string& help, RealRange range) {
  specs_.push_back({s, l, metavar, help + "; " + DescribeRange(range), true,
                    [=](const std::string& v) { *out = ParseReal(l, v, range); }});
}

void CommandLine::Repeated(const std::string& s, const std::string& l,
                           std::vector<std::string>* out, const std::string& metavar,
                           const std::string& help) {
  specs_.push_back({s, l, metavar, help + " (repeatable)", true,
                    [out](const std::string& v) { out->push_back(v); }});
}

void CommandLine::Positional(const std::string& metavar, std::string* out, const std::string& help,
                             bool required) {
  positionals_.push_back({metavar, help, out, required});
}

const CommandLine::Spec* CommandLine::Find(const std::string& name) const {
  for (const Spec& spec : specs_) {
    if (name == spec.long_name || (!spec.short_name.empty() && name == spec.short_name))
      return &spec;
  }
  return nullptr;
}

bool CommandLine::Given(const std::string& long_name) const {
  for (const std::string& g : given_) {
    if (g == long_name) return true;
  }
  return false;
}

std::string CommandLine::Help() const {
  std::ostringstream out;
  out << "usage: " << command_;
  if (!specs_.empty()) out << " [options]";
  for (const PositionalSpec& p : positionals_)
    out << (p.required ? " " : " [") << p.metavar << (p.required ? "" : "]");
  out << "\n\n" << summary_ << "\n";
  if (!positionals_.empty()) {
    out << "\narguments:\n";
    for (const PositionalSpec& p : positionals_) {
      std::string left = "  " + p.metavar;
      out << left << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << p.help << "\n";
    }
  }
  out << "\noptions:\n";
  std::vector<Spec> all = specs_;
  all.push_back({"-h", "--help", "", "show this help and exit", false, nullptr});
  for (const Spec& spec : all) {
    std::string left =
        "  " + (spec.short_name.empty() ? "    " : spec.short_name + ", ") + spec.long_name;
    if (spec.takes_value) left += " " + spec.metavar;
    out << left << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << spec.help << "\n";
  }
  if (!epilog_.empty()) out << "\n" << epilog_ << "\n";
  return out.str();
}

std::optional<int> CommandLine::Parse(int argc, char** argv) {
  size_t next_positional = 0;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "-h" || arg == "--help") {
        std::fputs(Help().c_str(), stdout);
        return 0;
      }
      if (arg.size() > 1 && arg[0] == '-' &&
          !(arg.size() > 1 && (std::isdigit(arg[1]) || arg[1] == '.'))) {
        std::string value;
        bool has_inline_value = false;
        size_t eq = arg.find('=');
        if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
          value = arg.substr(eq + 1);
          arg = arg.substr(0, eq);
          has_inline_value = true;
        }
        const Spec* spec = Find(arg);
        if (!spec) throw UsageError{"unknown option '" + arg + "'"};
        if (spec->takes_value) {
          if (!has_inline_value) {
            if (i + 1 >= argc) throw UsageError{arg + " needs a value (" + spec->metavar + ")"};
            value = argv[++i];
          }
        } else if (has_inline_value) {
          throw UsageError{arg + " takes no value"};
        }
        try {
          spec->set(value);
        } catch (const HostError& e) {
          throw UsageError{e.what()};
        }
        given_.push_back(spec->long_name);
        continue;
      }
      if (next_positional >= positionals_.size())
        throw UsageError{"unexpected argument '" + arg + "'"};
      *positionals_[next_positional++].out = arg;
    }
    for (size_t p = next_positional; p < positionals_.size(); ++p) {
      if (positionals_[p].required) throw UsageError{"missing " + positionals_[p].metavar};
    }
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\n(see '%s --help')\n", command_.c_str(), e.message.c_str(),
                 command_.c_str());
    return 2;
  }
  return std::nullopt;
}

int DispatchSubcommand(const std::string& prefix, const std::vector<Subcommand>& subcommands,
                       int argc, char** argv) {
  auto usage = [&](FILE* out) {
    std::fprintf(out, "usage: %s <command> [options]\n\ncommands:\n", prefix.c_str());
    for (const Subcommand& s : subcommands)
      std::fprintf(out, "  %-18s %s\n", s.name, s.summary);
    std::fprintf(out, "\n'%s <command> --help' shows a command's options.\n", prefix.c_str());
  };
  if (argc < 2 || std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help") {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const Subcommand& s : subcommands) {
    if (argv[1] == std::string(s.name)) return s.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "%s: unknown command '%s'\n\n", prefix.c_str(), argv[1]);
  usage(stderr);
  return 2;
}

}  // namespace vigil
