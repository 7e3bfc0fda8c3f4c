#include "host/svg_chart.h"

#include <gtest/gtest.h>

namespace vigil::svg {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST(SvgChart, LineChartDrawsEverySeriesAndEscapesText) {
  LineChart chart;
  chart.title = "Dice <vs> blur";
  chart.series.push_back({"fp32", {0, 1, 2}, {0.9, 0.8, 0.5}, "", true, true, false});
  chart.series.push_back({"int8", {0, 1, 2}, {0.89, 0.79, 0.49}, "", true, false, true});
  std::string svg = Render(chart);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline"), 2u);
  EXPECT_EQ(Count(svg, "<circle"), 3u);
  EXPECT_NE(svg.find("Dice &lt;vs&gt; blur"), std::string::npos);
}

TEST(SvgChart, HeatmapHasOneCellPerValue) {
  Heatmap map;
  map.row_labels = {"N", "S", "V"};
  map.column_labels = {"N", "S", "V"};
  map.values = {{90, 5, 5}, {1, 8, 1}, {0, 0, 10}};
  std::string svg = Render(map);
  EXPECT_EQ(Count(svg, "<rect x="), 9u);
}

TEST(SvgChart, BarChartDrawsBarsForEachGroupAndCategory) {
  BarChart chart;
  chart.categories = {"100", "101"};
  chart.groups = {{"Se", {99.5, 98.0}}, {"+P", {99.9, 97.0}}};
  chart.reference_line = 99.0;
  std::string svg = Render(chart);
  EXPECT_EQ(Count(svg, "<title>"), 4u);
}

}  // namespace
}  // namespace vigil::svg
