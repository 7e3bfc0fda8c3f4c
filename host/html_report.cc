#include "host/html_report.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "host/atomic_file.h"
#include "host/build_info.h"

namespace vigil {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FormatNumber(double value, int significant) {
  char text[40];
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof(text), "%.0f", value);
  } else {
    std::snprintf(text, sizeof(text), "%.*g", significant, value);
  }
  return text;
}

std::string Base64Encode(std::span<const uint8_t> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

namespace {

// Numbers (with an optional sign, unit %, or exponent) are right-aligned so columns line up.
bool LooksNumeric(const std::string& text) {
  if (text.empty()) return false;
  bool digit = false;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digit = true;
    else if (!std::strchr("+-.,%eE ", c))
      return false;
  }
  return digit;
}

}  // namespace

HtmlReport::HtmlReport(std::string title) : title_(std::move(title)) {}

void HtmlReport::Heading(const std::string& text, int level) {
  std::string tag = "h" + std::to_string(level);
  body_ += "<" + tag + ">" + HtmlEscape(text) + "</" + tag + ">\n";
}

void HtmlReport::Paragraph(const std::string& text) {
  body_ += "<p>" + HtmlEscape(text) + "</p>\n";
}

void HtmlReport::RawHtml(const std::string& html) {
  body_ += html + "\n";
}

void HtmlReport::Figure(const std::string& svg, const std::string& caption) {
  body_ += "<figure>" + svg + "<figcaption>" + HtmlEscape(caption) + "</figcaption></figure>\n";
}

void HtmlReport::PngImage(std::span<const uint8_t> png, const std::string& caption, int width) {
  body_ += "<figure><img alt='" + HtmlEscape(caption) + "'" +
           (width > 0 ? " width='" + std::to_string(width) + "'" : "") +
           " src='data:image/png;base64," + Base64Encode(png) + "'/><figcaption>" +
           HtmlEscape(caption) + "</figcaption></figure>\n";
}

void HtmlReport::Table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::string& caption, const std::string& id) {
  body_ += "<table" + (id.empty() ? std::string() : " id='" + HtmlEscape(id) + "'") + ">";
  if (!caption.empty()) body_ += "<caption>" + HtmlEscape(caption) + "</caption>";
  const bool has_header =
      std::any_of(header.begin(), header.end(), [](const std::string& h) { return !h.empty(); });
  if (has_header) {
    body_ += "<thead><tr>";
    for (const std::string& h : header)
      body_ += "<th>" + HtmlEscape(h) + "</th>";
    body_ += "</tr></thead>";
  }
  body_ += "<tbody>\n";
  for (const auto& row : rows) {
    body_ += "<tr>";
    for (const std::string& cell : row)
      body_ += (LooksNumeric(cell) ? "<td class='num'>" : "<td>") + HtmlEscape(cell) + "</td>";
    body_ += "</tr>\n";
  }
  body_ += "</tbody></table>\n";
}

void HtmlReport::KeyValues(const std::vector<std::pair<std::string, std::string>>& items,
                           const std::string& caption) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, v] : items)
    rows.push_back({k, v});
  Table({"", ""}, rows, caption);
}

std::string HtmlReport::Render() const {
  BuildInfo info = CurrentBuildInfo();
  return "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" +
         HtmlEscape(title_) +
         "</title>\n<style>\n"
         "body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:24px "
         "auto;color:#222;padding:0 16px}\n"
         "table{border-collapse:collapse;margin:12px 0;font-size:13px}\n"
         "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}\n"
         "th{background:#f0f0f0} td.num{text-align:right}\n"
         "caption{font-weight:bold;text-align:left;padding:4px 0}\n"
         "figure{margin:12px 0} figcaption{font-size:12px;color:#555}\n"
         "footer{margin-top:32px;font-size:12px;color:#666;border-top:1px solid "
         "#ccc;padding-top:8px}\n"
         // In print, long tables may break between rows (kept whole, a 300-row table left pages
         // blank); headings stay with what follows them.
         "@media print{figure,tr{break-inside:avoid}h1,h2,h3{break-after:avoid}}\n"
         "</style></head><body>\n<h1>" +
         HtmlEscape(title_) + "</h1>\n" + body_ + "<footer id='provenance'>Generated by vigil " +
         HtmlEscape(info.version) + " at commit " + HtmlEscape(info.commit) + " on " +
         HtmlEscape(info.generated_at) + " (host " + HtmlEscape(info.host) +
         ").</footer>\n</body></html>\n";
}

void HtmlReport::Write(const std::string& path) const {
  WriteFileAtomic(path, Render());
}

}  // namespace vigil
