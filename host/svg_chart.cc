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

// "Nice" tick positions covering [lo, hi].
std::vector<double> Ticks(double lo, double hi, int target = 6) {
  if (!(hi > lo)) return {lo};
  double raw = (hi - lo) / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  }
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push_back(t);
  return ticks;
}

struct Frame {
  double left = 64, right = 16, top = 36, bottom = 48;
  double width, height;
  double x0, x1, y0, y1;
  double X(double x) const { return left + (x - x0) / (x1 - x0) * (width - left - right); }
  double Y(double y) const { return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom); }
};

void Axes(std::ostringstream& out, const Frame& f, const std::string& title, const std::string& x_label,
          const std::string& y_label, bool x_ticks) {
  out << "<text x='" << Num(f.width / 2) << "' y='20' text-anchor='middle' font-size='14' font-weight='bold'>"
      << HtmlEscape(title) << "</text>\n";
  for (double t : Ticks(f.y0, f.y1)) {
    out << "<line x1='" << Num(f.left) << "' x2='" << Num(f.width - f.right) << "' y1='" << Num(f.Y(t))
        << "' y2='" << Num(f.Y(t)) << "' stroke='#e5e5e5'/>\n";
    out << "<text x='" << Num(f.left - 6) << "' y='" << Num(f.Y(t) + 4)
        << "' text-anchor='end' font-size='11'>" << TickLabel(t) << "</text>\n";
  }
  if (x_ticks) {
    for (double t : Ticks(f.x0, f.x1)) {
      out << "<line x1='" << Num(f.X(t)) << "' x2='" << Num(f.X(t)) << "' y1='" << Num(f.height - f.bottom)
          << "' y2='" << Num(f.height - f.bottom + 4) << "' stroke='#333'/>\n";
      out << "<text x='" << Num(f.X(t)) << "' y='" << Num(f.height - f.bottom + 16)
          << "' text-anchor='middle' font-size='11'>" << TickLabel(t) << "</text>\n";
    }
  }
  out << "<rect x='" << Num(f.left) << "' y='" << Num(f.top) << "' width='" << Num(f.width - f.left - f.right)
      << "' height='" << Num(f.height - f.top - f.bottom) << "' fill='none' stroke='#333'/>\n";
  out << "<text x='" << Num((f.left + f.width - f.right) / 2) << "' y='" << Num(f.height - 8)
      << "' text-anchor='middle' font-size='12'>" << HtmlEscape(x_label) << "</text>\n";
  out << "<text transform='translate(14," << Num((f.top + f.height - f.bottom) / 2)
      << ") rotate(-90)' text-anchor='middle' font-size='12'>" << HtmlEscape(y_label) << "</text>\n";
}

void Legend(std::ostringstream& out, const Frame& f, const std::vector<std::pair<std::string, std::string>>& items) {
  double y = f.top + 12;
  for (const auto& [name, color] : items) {
    if (name.empty()) continue;
    out << "<rect x='" << Num(f.width - f.right - 150) << "' y='" << Num(y - 9) << "' width='10' height='10' fill='"
        << color << "'/>\n<text x='" << Num(f.width - f.right - 136) << "' y='" << Num(y)
        << "' font-size='11'>" << HtmlEscape(name) << "</text>\n";
    y += 15;
  }
}

std::string Open(int width, int height) {
  std::ostringstream out;
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' viewBox='0 0 " << width << " " << height
      << "' font-family='Helvetica,Arial,sans-serif' role='img'>\n<rect width='100%' height='100%' fill='white'/>\n";
  return out.str();
}

}  // namespace

const std::string& PaletteColor(size_t index) { return kPalette[index % kPalette.size()]; }

std::string Render(const LineChart& chart) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const Series& s : chart.series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
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
  std::ostringstream out;
  out << Open(chart.width, chart.height);
  Axes(out, f, chart.title, chart.x_label, chart.y_label, true);
  for (const Marker& m : chart.markers) {
    if (m.x < f.x0 || m.x > f.x1) continue;
    out << "<line x1='" << Num(f.X(m.x)) << "' x2='" << Num(f.X(m.x)) << "' y1='" << Num(f.top) << "' y2='"
        << Num(f.height - f.bottom) << "' stroke='" << m.color << "' stroke-dasharray='3,3'/>\n";
    out << "<text x='" << Num(f.X(m.x) + 2) << "' y='" << Num(f.top + 12) << "' font-size='10' fill='" << m.color
        << "'>" << HtmlEscape(m.label) << "</text>\n";
  }
  std::vector<std::pair<std::string, std::string>> legend;
  out << "<g clip-path='none'>\n";
  for (size_t k = 0; k < chart.series.size(); ++k) {
    const Series& s = chart.series[k];
    std::string color = s.color.empty() ? PaletteColor(k) : s.color;
    legend.push_back({s.name, color});
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
        out << "<circle cx='" << Num(f.X(s.x[i])) << "' cy='" << Num(f.Y(std::clamp(s.y[i], f.y0, f.y1)))
            << "' r='3' fill='" << color << "'/>\n";
      }
    }
  }
  out << "</g>\n";
  if (chart.series.size() > 1) Legend(out, f, legend);
  out << "</svg>\n";
  return out.str();
}

std::string Render(const BarChart& chart) {
  double y0 = 0, y1 = -INFINITY;
  for (const auto& g : chart.groups) {
    for (double v : g.second) {
      if (std::isfinite(v)) y0 = std::min(y0, v), y1 = std::max(y1, v);
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
  std::ostringstream out;
  out << Open(chart.width, chart.height);
  Axes(out, f, chart.title, "", chart.y_label, false);
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
          << "' height='" << Num(std::fabs(base - top)) << "' fill='" << PaletteColor(g) << "'><title>"
          << HtmlEscape(chart.groups[g].first + " " + chart.categories[c] + ": " + TickLabel(v))
          << "</title></rect>\n";
    }
    double cx = f.X(static_cast<double>(c) + 0.5);
    out << "<text transform='translate(" << Num(cx) << "," << Num(f.height - f.bottom + 12)
        << ") rotate(-40)' text-anchor='end' font-size='10'>" << HtmlEscape(chart.categories[c]) << "</text>\n";
  }
  if (chart.reference_line) {
    double y = f.Y(*chart.reference_line);
    out << "<line x1='" << Num(f.left) << "' x2='" << Num(f.width - f.right) << "' y1='" << Num(y) << "' y2='"
        << Num(y) << "' stroke='#000' stroke-dasharray='5,3'/>\n";
  }
  std::vector<std::pair<std::string, std::string>> legend;
  for (size_t g = 0; g < chart.groups.size(); ++g) legend.push_back({chart.groups[g].first, PaletteColor(g)});
  if (chart.groups.size() > 1) Legend(out, f, legend);
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
  int left = 90, top = 60;
  int width = left + static_cast<int>(cols) * chart.cell + 20;
  int height = top + static_cast<int>(rows) * chart.cell + 40;
  std::ostringstream out;
  out << Open(width, height);
  out << "<text x='" << width / 2 << "' y='18' text-anchor='middle' font-size='14' font-weight='bold'>"
      << HtmlEscape(chart.title) << "</text>\n";
  out << "<text x='" << left + static_cast<int>(cols) * chart.cell / 2 << "' y='" << 36
      << "' text-anchor='middle' font-size='12'>" << HtmlEscape(chart.x_label) << "</text>\n";
  out << "<text transform='translate(14," << top + static_cast<int>(rows) * chart.cell / 2
      << ") rotate(-90)' text-anchor='middle' font-size='12'>" << HtmlEscape(chart.y_label) << "</text>\n";
  for (size_t c = 0; c < cols && c < chart.column_labels.size(); ++c) {
    out << "<text x='" << left + static_cast<int>(c) * chart.cell + chart.cell / 2 << "' y='" << top - 6
        << "' text-anchor='middle' font-size='11'>" << HtmlEscape(chart.column_labels[c]) << "</text>\n";
  }
  for (size_t r = 0; r < rows; ++r) {
    if (r < chart.row_labels.size()) {
      out << "<text x='" << left - 6 << "' y='" << top + static_cast<int>(r) * chart.cell + chart.cell / 2 + 4
          << "' text-anchor='end' font-size='11'>" << HtmlEscape(chart.row_labels[r]) << "</text>\n";
    }
    for (size_t c = 0; c < cols && c < chart.values[r].size(); ++c) {
      double v = chart.values[r][c];
      double t = std::isfinite(v) ? (v - lo) / (hi - lo) : 0;
      // White to dark blue; a perceptually ordered single-hue ramp.
      int red = static_cast<int>(247 - t * (247 - 8));
      int green = static_cast<int>(251 - t * (251 - 48));
      int blue = static_cast<int>(255 - t * (255 - 107));
      int x = left + static_cast<int>(c) * chart.cell, y = top + static_cast<int>(r) * chart.cell;
      out << "<rect x='" << x << "' y='" << y << "' width='" << chart.cell << "' height='" << chart.cell
          << "' fill='rgb(" << red << "," << green << "," << blue << ")' stroke='#fff'/>\n";
      if (chart.annotate && std::isfinite(v)) {
        out << "<text x='" << x + chart.cell / 2 << "' y='" << y + chart.cell / 2 + 4
            << "' text-anchor='middle' font-size='11' fill='" << (t > 0.55 ? "#fff" : "#000") << "'>"
            << TickLabel(v) << "</text>\n";
      }
    }
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace vigil::svg
