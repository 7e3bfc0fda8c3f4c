// SVG charts for reports: line/scatter charts, grouped bars and heat maps, as self-contained
// <svg> strings that a browser renders and a PDF printer keeps sharp. No scripts, no fonts to load.
#pragma once

#include <optional>
#include <string>
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
struct Marker {
  double x = 0;
  std::string label;
  std::string color = "#444";
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
  std::vector<std::string> categories;               // along x
  std::vector<std::pair<std::string, std::vector<double>>> groups;  // one bar per group and category
  std::optional<double> y_min, y_max;
  std::optional<double> reference_line;              // a horizontal line, e.g. an acceptance floor
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

}  // namespace vigil::svg
