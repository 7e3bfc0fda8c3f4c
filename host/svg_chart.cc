#include "host/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "host/html_report.h"

namespace vigil::svg {
namespace {

const std::vector<std::string> kPalette = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", v);
  return buf;
}

std::string TickLabel(double v) {
  char buf[32];
  double a = std::fabs(v);
  if (a != 0 && (a < 1e-3 || a >= 1e6)) {
    std::snprintf(buf, sizeof(buf), "%.1e", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%g", std::round(v * 1e6) / 1e6);
  }
  return buf;
}

// "Nice" tick positions covering [lo, hi]. An axis of whole numbers (ranks, counts) gets whole
// ticks only: a step of at least 1 and never 2.5.
std::vector<double> Ticks(double lo, double hi, bool whole, int target = 6) {
  if (!(hi > lo)) return {lo};
  double raw = (hi - lo) / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw && !(whole && m == 2.5 && mag < 10)) {
      step = m * mag;
      break;
    }
  }
  if (whole) step = std::max(step, 1.0);
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(t);
  return ticks;
}

bool AllWhole(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(),
                     [](double v) { return !std::isfinite(v) || v == std::round(v); });
}

struct Frame {
  double left = 64, right = 16, top = 36, bottom = 48;
  double width, height;
  double x0, x1, y0, y1;
  bool whole_x = false, whole_y = false;
  double X(double x) const { return left + (x - x0) / (x1 - x0) * (width - left - right); }
  double Y(double y) const {
    return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom);
  }
};

constexpr double kTitleSize = 14, kTitleLine = 17, kLegendSize = 11, kLegendRow = 15;

// The title's words in lines that each fit `width` (a single word longer than that stays whole).
std::vector<std::string> TitleLines(const std::string& title, double width) {
  std::vector<std::string> lines;
  std::istringstream words(title);
  for (std::string word; words >> word;) {
    if (!lines.empty() && TextWidth(lines.back() + " " + word, kTitleSize, true) <= width)
      lines.back() += " " + word;
    else
      lines.push_back(word);
  }
  return lines;
}

using LegendItems = std::vector<std::pair<std::string, std::string>>;  // name, colour

double LegendItemWidth(const std::string& name) {
  return 14 + TextWidth(name, kLegendSize) + 14;
}

// Rows of legend items that each fit between the plot's left and right edges.
std::vector<LegendItems> LegendRows(const LegendItems& items, double width) {
  std::vector<LegendItems> rows;
  double used = 0;
  for (const auto& item : items) {
    if (item.first.empty()) continue;
    double w = LegendItemWidth(item.first);
    if (rows.empty() || used + w > width) rows.emplace_back(), used = 0;
    rows.back().push_back(item);
    used += w;
  }
  return rows;
}

// The title (wrapped to the figure's width) and, under it, the legend in rows right-aligned to the
// plot: both above the plot area, so neither covers data. Sets f.top to where the plot starts.
void Header(std::ostringstream& out, Frame& f, const std::string& title,
            const LegendItems& legend) {
  std::vector<std::string> lines = TitleLines(title, f.width - 16);
  double y = 20;
  for (size_t i = 0; i < lines.size(); ++i, y += kTitleLine) {
    out << "<text x='" << Num(f.width / 2) << "' y='" << Num(y)
        << "' text-anchor='middle' font-size='14' font-weight='bold'>" << HtmlEscape(lines[i])
        << "</text>\n";
  }
  y -= kTitleLine;  // the last title baseline (20 when there is no title)
  std::vector<LegendItems> rows = LegendRows(legend, f.width - f.left - f.right);
  double row_top = y + 8;
  for (const LegendItems& row : rows) {
    double x = f.width - f.right;
    for (const auto& item : row)
      x -= LegendItemWidth(item.first);
    x += 14;  // no spacing after the last item
    for (const auto& [name, color] : row) {
      out << "<rect x='" << Num(x) << "' y='" << Num(row_top) << "' width='10' height='10' fill='"
          << color << "'/>\n<text x='" << Num(x + 14) << "' y='" << Num(row_top + 9)
          << "' font-size='11'>" << HtmlEscape(name) << "</text>\n";
      x += LegendItemWidth(name);
    }
    row_top += kLegendRow;
  }
  f.top = rows.empty() ? y + 16 : row_top + 6;
}

void Axes(std::ostringstream& out, const Frame& f, const std::string& x_label,
          const std::string& y_label, bool x_ticks) {
  for (double t : Ticks(f.y0, f.y1, f.whole_y)) {
    out << "<line x1='" << Num(f.left) << "' x2='" << Num(f.width - f.right) << "' y1='"
        << Num(f.Y(t)) << "' y2='" << Num(f.Y(t)) << "' stroke='#e5e5e5'/>\n";
    out << "<text x='" << Num(f.left - 6) << "' y='" << Num(f.Y(t) + 4)
        << "' text-anchor='end' font-size='11'>" << TickLabel(t) << "</text>\n";
  }
  if (x_ticks) {
    for (double t : Ticks(f.x0, f.x1, f.whole_x)) {
      out << "<line x1='" << Num(f.X(t)) << "' x2='" << Num(f.X(t)) << "' y1='"
          << Num(f.height - f.bottom) << "' y2='" << Num(f.height - f.bottom + 4)
          << "' stroke='#333'/>\n";
      out << "<text x='" << Num(f.X(t)) << "' y='" << Num(f.height - f.bottom + 16)
          << "' text-anchor='middle' font-size='11'>" << TickLabel(t) << "</text>\n";
    }
  }
  out << "<rect x='" << Num(f.left) << "' y='" << Num(f.top) << "' width='"
      << Num(f.width - f.left - f.right) << "' height='" << Num(f.height - f.top - f.bottom)
      << "' fill='none' stroke='#333'/>\n";
  out << "<text x='" << Num((f.left + f.width - f.right) / 2) << "' y='" << Num(f.height - 8)
      << "' text-anchor='middle' font-size='12'>" << HtmlEscape(x_label) << "</text>\n";
  out << "<text transform='translate(14," << Num((f.top + f.height - f.bottom) / 2)
      << ") rotate(-90)' text-anchor='middle' font-size='12'>" << HtmlEscape(y_label)
      << "</text>\n";
}

std::string Open(int width, int height) {
  std::ostringstream out;
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' viewBox='0 0 " << width << " " << height
      << "' font-family='Helvetica,Arial,sans-serif' role='img'>\n<rect width='100%' height='100%' "
         "fill='white'/>\n";
  return out.str();
}

// Advance widths (1/1000 em) of ASCII 32..126: for each character the wider of Helvetica (Adobe
// AFM; Arial and Liberation Sans have the same widths) and DejaVu Sans (Debian's sans-serif, what
// Chromium draws "Helvetica,Arial,sans-serif" with when neither is installed), so text measured
// with them fits whichever of these fonts a browser picks.
constexpr short kSansWidths[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361,  318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556, 1015, 684, 686, 722, 770, 667,
    611, 778, 752, 295, 500, 667, 557, 863, 748, 787, 667, 787, 722, 667,  611, 732, 684, 989, 685,
    667, 685, 390, 337, 390, 838, 556, 500, 613, 635, 550, 635, 615, 352,  635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,  525, 636, 337, 636, 838};
constexpr short kSansBoldWidths[95] = {
    348,  456, 521, 838, 696, 1002, 872, 306,  457, 457, 523, 838, 380, 415,  380, 365,
    696,  696, 696, 696, 696, 696,  696, 696,  696, 696, 400, 400, 838, 838,  838, 611,
    1000, 774, 762, 734, 830, 683,  683, 821,  837, 372, 556, 775, 637, 995,  837, 850,
    733,  850, 770, 720, 682, 812,  774, 1103, 771, 724, 725, 457, 365, 457,  838, 556,
    500,  675, 716, 593, 716, 678,  435, 716,  712, 343, 343, 665, 343, 1042, 712, 687,
    716,  716, 493, 595, 478, 712,  652, 924,  645, 652, 582, 712, 365, 712,  838};

// Dashed vertical lines with their labels along the plot's top. A label that would overlap one
// already placed moves down a row (a reference beat and ours at the same time both stay legible);
// a marker's `row` is the first row it may take.
void MarkerLines(std::ostringstream& out, const Frame& f, const std::vector<Marker>& markers) {
  constexpr double kSize = 10, kRow = 12;
  std::vector<std::vector<std::pair<double, double>>> taken;  // per row: [x0, x1] of labels
  for (const Marker& m : markers) {
    if (m.x < f.x0 || m.x > f.x1) continue;
    double x = f.X(m.x);
    out << "<line x1='" << Num(x) << "' x2='" << Num(x) << "' y1='" << Num(f.top) << "' y2='"
        << Num(f.height - f.bottom) << "' stroke='" << m.color << "' stroke-dasharray='3,3'/>\n";
    if (m.label.empty()) continue;
    double x0 = x + 2, x1 = x0 + TextWidth(m.label, kSize) + 2;
    size_t row = static_cast<size_t>(std::max(0, m.row));
    for (;; ++row) {
      if (taken.size() <= row) taken.resize(row + 1);
      bool free = std::none_of(taken[row].begin(), taken[row].end(), [&](const auto& span) {
        return x0 < span.second && span.first < x1;
      });
      if (free) break;
    }
    taken[row].push_back({x0, x1});
    out << "<text x='" << Num(x0) << "' y='" << Num(f.top + 11 + kRow * static_cast<double>(row))
        << "' font-size='10' fill='" << m.color << "'>" << HtmlEscape(m.label) << "</text>\n";
  }
}

}  // namespace

double TextWidth(std::string_view text, double font_size, bool bold) {
  const short* widths = bold ? kSansBoldWidths : kSansWidths;
  double units = 0;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 32 && c < 127)
      units += widths[c - 32];
    else if ((c & 0xC0) != 0x80)
      units += 1000;  // the first byte of a UTF-8 character
  }
  return units * font_size / 1000;
}

const std::string& PaletteColor(size_t index) {
  return kPalette[index % kPalette.size()];
}

std::string Render(const LineChart& chart) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  std::vector<double> xs, ys;
  for (const Series& s : chart.series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
      xs.push_back(s.x[i]);
      ys.push_back(s.y[i]);
    }
  }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) y1 = y0 + 1;
  double pad = (y1 - y0) * 0.05;
  Frame f;
  f.width = chart.width;
  f.height = chart.height;
  f.x0 = chart.x_min.value_or(x0);
  f.x1 = chart.x_max.value_or(x1);
  f.y0 = chart.y_min.value_or(y0 - pad);
  f.y1 = chart.y_max.value_or(y1 + pad);
  f.whole_x = AllWhole(xs);
  f.whole_y = AllWhole(ys);
  LegendItems legend;
  for (size_t k = 0; k < chart.series.size(); ++k) {
    const Series& s = chart.series[k];
    legend.push_back({s.name, s.color.empty() ? PaletteColor(k) : s.color});
  }
  if (chart.series.size() < 2) legend.clear();
  std::ostringstream out;
  out << Open(chart.width, chart.height);
  Header(out, f, chart.title, legend);
  Axes(out, f, chart.x_label, chart.y_label, true);
  MarkerLines(out, f, chart.markers);
  for (size_t k = 0; k < chart.series.size(); ++k) {
    const Series& s = chart.series[k];
    std::string color = s.color.empty() ? PaletteColor(k) : s.color;
    if (s.line) {
      out << "<polyline fill='none' stroke='" << color << "' stroke-width='1.5'"
          << (s.dashed ? " stroke-dasharray='6,4'" : "") << " points='";
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        if (!std::isfinite(s.y[i])) continue;
        double y = std::clamp(s.y[i], f.y0, f.y1);
        out << Num(f.X(s.x[i])) << "," << Num(f.Y(y)) << " ";
      }
      out << "'/>\n";
    }
    if (s.markers) {
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        if (!std::isfinite(s.y[i])) continue;
        out << "<circle cx='" << Num(f.X(s.x[i])) << "' cy='"
            << Num(f.Y(std::clamp(s.y[i], f.y0, f.y1))) << "' r='3' fill='" << color << "'/>\n";
      }
    }
  }
  out << "</svg>\n";
  return out.str();
}

std::string Render(const BarChart& chart) {
  double y0 = 0, y1 = -INFINITY;
  std::vector<double> values;
  for (const auto& g : chart.groups) {
    for (double v : g.second) {
      if (std::isfinite(v)) y0 = std::min(y0, v), y1 = std::max(y1, v), values.push_back(v);
    }
  }
  if (chart.reference_line) y1 = std::max(y1, *chart.reference_line);
  if (!std::isfinite(y1) || y1 == y0) y1 = y0 + 1;
  Frame f;
  f.width = chart.width;
  f.height = chart.height;
  f.bottom = 64;
  f.x0 = 0;
  f.x1 = std::max<double>(1, static_cast<double>(chart.categories.size()));
  f.y0 = chart.y_min.value_or(y0);
  f.y1 = chart.y_max.value_or(y1 * 1.05);
  f.whole_y = AllWhole(values);
  LegendItems legend;
  for (size_t g = 0; g < chart.groups.size(); ++g)
    legend.push_back({chart.groups[g].first, PaletteColor(g)});
  if (chart.groups.size() < 2) legend.clear();
  std::ostringstream out;
  out << Open(chart.width, chart.height);
  Header(out, f, chart.title, legend);
  Axes(out, f, "", chart.y_label, false);
  size_t groups = std::max<size_t>(1, chart.groups.size());
  double slot = (f.X(1) - f.X(0));
  double bar = slot * 0.8 / static_cast<double>(groups);
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    for (size_t g = 0; g < chart.groups.size(); ++g) {
      if (c >= chart.groups[g].second.size()) continue;
      double v = chart.groups[g].second[c];
      if (!std::isfinite(v)) continue;
      double x = f.X(static_cast<double>(c)) + slot * 0.1 + bar * static_cast<double>(g);
      double top = f.Y(std::clamp(v, f.y0, f.y1));
      double base = f.Y(std::clamp(0.0, f.y0, f.y1));
      out << "<rect x='" << Num(x) << "' y='" << Num(std::min(top, base)) << "' width='" << Num(bar)
          << "' height='" << Num(std::fabs(base - top)) << "' fill='" << PaletteColor(g)
          << "'><title>"
          << HtmlEscape(chart.groups[g].first + " " + chart.categories[c] + ": " + FormatNumber(v))
          << "</title></rect>\n";
    }
    double cx = f.X(static_cast<double>(c) + 0.5);
    out << "<text transform='translate(" << Num(cx) << "," << Num(f.height - f.bottom + 12)
        << ") rotate(-40)' text-anchor='end' font-size='10'>" << HtmlEscape(chart.categories[c])
        << "</text>\n";
  }
  if (chart.reference_line) {
    double y = f.Y(*chart.reference_line);
    out << "<line x1='" << Num(f.left) << "' x2='" << Num(f.width - f.right) << "' y1='" << Num(y)
        << "' y2='" << Num(y) << "' stroke='#000' stroke-dasharray='5,3'/>\n";
  }
  out << "</svg>\n";
  return out.str();
}

std::string Render(const Heatmap& chart) {
  size_t rows = chart.values.size();
  size_t cols = rows ? chart.values[0].size() : 0;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& r : chart.values) {
    for (double v : r) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi == lo) hi = lo + 1;
  // Cells as wide as the widest column label, a margin as wide as the widest row label, and the
  // figure as wide as its title: no label runs into its neighbour or off the figure.
  double widest_column = 0, widest_row = 0;
  for (const std::string& l : chart.column_labels)
    widest_column = std::max(widest_column, TextWidth(l, 11));
  for (const std::string& l : chart.row_labels)
    widest_row = std::max(widest_row, TextWidth(l, 11));
  int cell_w = std::max(chart.cell, static_cast<int>(std::ceil(widest_column)) + 8);
  int cell_h = chart.cell;
  int left = std::max(90, static_cast<int>(std::ceil(widest_row)) + 6 + 28);
  int top = 60;
  int grid_w = static_cast<int>(cols) * cell_w;
  int width = std::max(left + grid_w + 20,
                       static_cast<int>(std::ceil(TextWidth(chart.title, kTitleSize, true))) + 16);
  int height = top + static_cast<int>(rows) * cell_h + 40;
  std::ostringstream out;
  out << Open(width, height);
  out << "<text x='" << width / 2
      << "' y='18' text-anchor='middle' font-size='14' font-weight='bold'>"
      << HtmlEscape(chart.title) << "</text>\n";
  out << "<text x='" << left + grid_w / 2 << "' y='" << 36
      << "' text-anchor='middle' font-size='12'>" << HtmlEscape(chart.x_label) << "</text>\n";
  out << "<text transform='translate(14," << top + static_cast<int>(rows) * cell_h / 2
      << ") rotate(-90)' text-anchor='middle' font-size='12'>" << HtmlEscape(chart.y_label)
      << "</text>\n";
  for (size_t c = 0; c < cols && c < chart.column_labels.size(); ++c) {
    out << "<text x='" << left + static_cast<int>(c) * cell_w + cell_w / 2 << "' y='" << top - 6
        << "' text-anchor='middle' font-size='11'>" << HtmlEscape(chart.column_labels[c])
        << "</text>\n";
  }
  for (size_t r = 0; r < rows; ++r) {
    if (r < chart.row_labels.size()) {
      out << "<text x='" << left - 6 << "' y='"
          << top + static_cast<int>(r) * cell_h + cell_h / 2 + 4
          << "' text-anchor='end' font-size='11'>" << HtmlEscape(chart.row_labels[r])
          << "</text>\n";
    }
    for (size_t c = 0; c < cols && c < chart.values[r].size(); ++c) {
      double v = chart.values[r][c];
      double t = std::isfinite(v) ? (v - lo) / (hi - lo) : 0;
      // White to dark blue; a perceptually ordered single-hue ramp.
      int red = static_cast<int>(247 - t * (247 - 8));
      int green = static_cast<int>(251 - t * (251 - 48));
      int blue = static_cast<int>(255 - t * (255 - 107));
      int x = left + static_cast<int>(c) * cell_w, y = top + static_cast<int>(r) * cell_h;
      out << "<rect x='" << x << "' y='" << y << "' width='" << cell_w << "' height='" << cell_h
          << "' fill='rgb(" << red << "," << green << "," << blue << ")' stroke='#fff'/>\n";
      if (chart.annotate && std::isfinite(v)) {
        out << "<text x='" << x + cell_w / 2 << "' y='" << y + cell_h / 2 + 4
            << "' text-anchor='middle' font-size='11' fill='" << (t > 0.55 ? "#fff" : "#000")
            << "'>" << TickLabel(v) << "</text>\n";
      }
    }
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace vigil::svg
