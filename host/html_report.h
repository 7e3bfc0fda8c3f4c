// HtmlReport: a self-contained HTML page (inline CSS, SVG figures, PNG images as data URIs) that
// every Vigil report uses: `vigil ecg eval --html`, `vigil seg eval --html`, `vigil report vnv`.
//
// Every report ends with its provenance (tool version, commit, date, host) so a number on the page
// can be traced to the build and time that produced it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil {

std::string HtmlEscape(std::string_view text);
// A number as a report shows it: integers whole, others to `significant` digits (0.9345, 1.319,
// 3611), so a reader never sees float noise such as 3611.111111.
std::string FormatNumber(double value, int significant = 4);
std::string Base64Encode(std::span<const uint8_t> bytes);

class HtmlReport {
 public:
  explicit HtmlReport(std::string title);

  void Heading(const std::string& text, int level = 2);
  void Paragraph(const std::string& text);  // escaped
  void RawHtml(const std::string& html);    // trusted markup
  void Figure(const std::string& svg, const std::string& caption);
  void PngImage(std::span<const uint8_t> png, const std::string& caption, int width = 0);
  void Table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, const std::string& caption = "",
             const std::string& id = "");
  void KeyValues(const std::vector<std::pair<std::string, std::string>>& items,
                 const std::string& caption = "");

  std::string Render() const;
  void Write(const std::string& path) const;  // atomic

 private:
  std::string title_;
  std::string body_;
};

}  // namespace vigil
