#include "regulatory/report/headless_chromium.h"

#include <stdlib.h>

#include <filesystem>

#include "host/atomic_file.h"
#include "host/error.h"
#include "regulatory/shell/shell_command.h"

namespace vigil::regulatory {
namespace {

namespace fs = std::filesystem;

// Runs chromium with `action` on the page, in a profile directory of its own that is removed after.
ShellResult RunChromium(const std::string& action, const std::string& html_path) {
  if (!fs::exists(html_path)) throw HostError(html_path + ": no such file");
  char pattern[] = "/tmp/vigil_chromium_XXXXXX";
  if (!mkdtemp(pattern)) throw HostError("cannot create a Chromium profile directory in /tmp");
  std::string profile = pattern;
  std::string url = "file://" + fs::absolute(html_path).string();
  ShellResult r = RunShellCommand(
      "timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
      ShellQuote(profile) + " " + action + " " + ShellQuote(url));
  std::error_code ec;
  fs::remove_all(profile, ec);
  if (r.exit_status != 0) {
    throw HostError("headless Chromium failed on " + html_path + " (exit " +
                    std::to_string(r.exit_status) + ")");
  }
  return r;
}

}  // namespace

bool ChromiumAvailable() {
  return RunShellCommand("command -v chromium").exit_status == 0;
}

void PrintToPdf(const std::string& html_path, const std::string& pdf_path) {
  std::string temporary = pdf_path + ".printing";
  RunChromium("--no-pdf-header-footer --print-to-pdf=" + ShellQuote(temporary), html_path);
  std::vector<uint8_t> pdf;
  try {
    pdf = ReadFileBytes(temporary);
  } catch (const HostError&) {
    throw HostError("headless Chromium wrote no PDF for " + html_path);
  }
  fs::remove(temporary);
  if (pdf.size() < 5 || std::string(pdf.begin(), pdf.begin() + 5) != "%PDF-") {
    throw HostError("headless Chromium wrote something that is not a PDF for " + html_path);
  }
  WriteFileAtomic(pdf_path, pdf);
}

std::string DumpDom(const std::string& html_path) {
  return RunChromium("--dump-dom", html_path).output;
}

}  // namespace vigil::regulatory
