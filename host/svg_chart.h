// SVG charts for reports: line/scatter charts, grouped bars and heat maps, as self-contained
// <svg> strings that a browser renders and a PDF printer keeps sharp. No scripts, no fonts to load.
//
// Layout contract (svg_chart_test.cc checks it): titles wrap to the figure's width and heat maps
// widen to fit theirs; the legend sits above the plot, never over data; marker labels do not
// overlap; an axis whose data are all whole numbers gets whole-number ticks only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::svg {

struct Series {
  std::string name;
  std::vector<double> x, y;
  std::string color;     // empty: next colour of the palette
  bool line = true;      // draw a polyline through the points
  bool markers = false;  // draw a dot at every point
  bool dashed = false;
};

// A vertical line at x with a label (an annotated beat on an ECG strip, a chosen threshold).
// Labels sit in rows along the plot's top; one that would overlap another moves to the next row.
struct Marker {
  double x = 0;
  std::string label;
  std::string color = "#444";
  int row = 0;  // the first row its label may take (0: the top)
};

struct LineChart {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  std::vector<Marker> markers;
  std::optional<double> x_min, x_max, y_min, y_max;
  int width = 640, height = 360;
};

struct BarChart {
  std::string title, y_label;
  std::vector<std::string> categories;  // along x
  std::vector<std::pair<std::string, std::vector<double>>>
      groups;  // one bar per group and category
  std::optional<double> y_min, y_max;
  std::optional<double> reference_line;  // a horizontal line, e.g. an acceptance floor
  int width = 640, height = 360;
};

struct Heatmap {
  std::string title, x_label, y_label;
  std::vector<std::string> row_labels, column_labels;
  std::vector<std::vector<double>> values;  // values[row][column]
  bool annotate = true;                     // print each value in its cell
  int cell = 48;
};

std::string Render(const LineChart& chart);
std::string Render(const BarChart& chart);
std::string Render(const Heatmap& chart);

// The palette, so a caller can colour a legend or table row to match a series.
const std::string& PaletteColor(size_t index);

// An upper bound of the advance width in pixels of `text` at `font_size` (regular or bold) in the
// fonts a browser draws the charts' "Helvetica,Arial,sans-serif" with: per character the wider of
// Helvetica (= Arial, Liberation Sans) and DejaVu Sans. Layout uses it so titles, legends and labels
// fit; characters outside ASCII count as one em.
double TextWidth(std::string_view text, double font_size, bool bold = false);

}  // namespace vigil::svg
