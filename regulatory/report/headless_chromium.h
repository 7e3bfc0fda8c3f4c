// Debian's Chromium in headless mode: prints an HTML report to PDF and returns the DOM a browser
// builds from a page (what tests check the rendered tables against). Each call uses a fresh
// profile directory and the flags that work without a display, GPU, network or sandbox.
//
//   if (ChromiumAvailable()) PrintToPdf("out/vnv.html", "out/vnv.pdf");
#pragma once

#include <string>

namespace vigil::regulatory {

// Whether `chromium` is on PATH.
bool ChromiumAvailable();

// Prints html_path to pdf_path (A4/Letter as Chromium defaults, no header or footer), atomically.
// Throws HostError if Chromium fails or writes no PDF.
void PrintToPdf(const std::string& html_path, const std::string& pdf_path);

// The DOM after Chromium loaded and laid out the page (--dump-dom).
std::string DumpDom(const std::string& html_path);

}  // namespace vigil::regulatory
