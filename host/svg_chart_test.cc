#include "host/svg_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>

namespace vigil::svg {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
    ++n;
  return n;
}

// ---- Reading back what a browser would draw: boxes of rectangles and text. ----

struct Box {
  double x0, y0, x1, y1;
  bool Intersects(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

std::string Attribute(std::string_view element, const std::string& name) {
  size_t p = element.find(" " + name + "='");
  if (p == std::string::npos) return "";
  p += name.size() + 3;
  return std::string(element.substr(p, element.find('\'', p) - p));
}

double Number(std::string_view element, const std::string& name) {
  std::string v = Attribute(element, name);
  return v.empty() ? NAN : std::stod(v);
}

struct Rect {
  Box box;
  bool bar;  // carries a <title> (a data bar)
  std::string fill, stroke;
};

std::vector<Rect> Rects(const std::string& svg) {
  std::vector<Rect> rects;
  for (size_t p = svg.find("<rect "); p != std::string::npos; p = svg.find("<rect ", p + 1)) {
    std::string_view e(svg.data() + p, svg.find('>', p) - p);
    if (Attribute(e, "width") == "100%") continue;  // the background
    double x = Number(e, "x"), y = Number(e, "y");
    rects.push_back({{x, y, x + Number(e, "width"), y + Number(e, "height")},
                     svg.compare(svg.find('>', p) + 1, 7, "<title>") == 0,
                     Attribute(e, "fill"),
                     Attribute(e, "stroke")});
  }
  return rects;
}

struct Text {
  Box box;
  std::string content, fill;
  double size;
  bool rotated;
};

// Each <text>'s box from its anchor, font size and TextWidth (ascent 0.75 em, descent 0.25 em),
// with the entities the charts write turned back into characters.
std::vector<Text> Texts(const std::string& svg) {
  std::vector<Text> texts;
  for (size_t p = svg.find("<text "); p != std::string::npos; p = svg.find("<text ", p + 1)) {
    size_t open_end = svg.find('>', p), close = svg.find("</text>", p);
    std::string_view e(svg.data() + p, open_end - p);
    std::string content = svg.substr(open_end + 1, close - open_end - 1);
    for (auto [entity, c] :
         {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&#39;", "'"}}) {
      for (size_t q; (q = content.find(entity)) != std::string::npos;)
        content.replace(q, std::string(entity).size(), c);
    }
    double size = Number(e, "font-size");
    double width = TextWidth(content, size, Attribute(e, "font-weight") == "bold");
    double x = Number(e, "x"), y = Number(e, "y");
    std::string anchor = Attribute(e, "text-anchor");
    double x0 = anchor == "middle" ? x - width / 2 : anchor == "end" ? x - width : x;
    texts.push_back({{x0, y - 0.75 * size, x0 + width, y + 0.25 * size},
                     content,
                     Attribute(e, "fill"),
                     size,
                     !Attribute(e, "transform").empty()});
  }
  return texts;
}

double SvgWidth(const std::string& svg) {
  return Number(svg.substr(0, svg.find('>')), "width");
}

bool IsNumber(const std::string& text) {
  if (text.empty()) return false;
  size_t used = 0;
  try {
    std::stod(text, &used);
  } catch (...) {
    return false;
  }
  return used == text.size();
}

// The legend: its 10 x 10 colour swatches and the text beside each.
std::vector<Box> LegendBoxes(const std::string& svg, const std::vector<std::string>& names) {
  std::vector<Box> boxes;
  for (const Rect& r : Rects(svg)) {
    if (!r.bar && r.box.x1 - r.box.x0 == 10 && r.box.y1 - r.box.y0 == 10) boxes.push_back(r.box);
  }
  for (const Text& t : Texts(svg)) {
    for (const std::string& n : names) {
      if (t.content == n && !t.rotated) boxes.push_back(t.box);
    }
  }
  return boxes;
}

Box PlotArea(const std::string& svg) {
  for (const Rect& r : Rects(svg)) {
    if (r.fill == "none" && r.stroke == "#333") return r.box;
  }
  ADD_FAILURE() << "no plot frame";
  return {};
}

// ---- Tests ----

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

TEST(SvgChart, TextWidthIsTheWiderOfHelveticaAndDejaVuSans) {
  EXPECT_DOUBLE_EQ(TextWidth("Se", 10), (667 + 615) / 100.0);      // Helvetica S, DejaVu e
  EXPECT_DOUBLE_EQ(TextWidth("W", 14, true), 1103 * 14 / 1000.0);  // DejaVu Sans Bold
  EXPECT_DOUBLE_EQ(TextWidth("\xc2\xb5", 10), 10);  // one non-ASCII character: one em
}

// The per-record charts of `vigil ecg eval`: bars reach 100 % right under the legend's old place.
TEST(SvgChart, BarChartLegendCoversNoBar) {
  BarChart chart;
  chart.title = "QRS detection";
  chart.y_min = 0, chart.y_max = 100, chart.width = 900;
  chart.reference_line = 99.7;
  std::vector<double> se, ppv;
  for (int r = 0; r < 22; ++r) {
    chart.categories.push_back(std::to_string(100 + r));
    se.push_back(99 + r % 2), ppv.push_back(100);
  }
  chart.groups = {{"Se", se}, {"+P", ppv}};
  std::string svg = Render(chart);
  std::vector<Box> legend = LegendBoxes(svg, {"Se", "+P"});
  ASSERT_EQ(legend.size(), 4u);
  for (const Box& l : legend) {
    for (const Rect& r : Rects(svg)) {
      if (r.bar) EXPECT_FALSE(l.Intersects(r.box)) << "legend over a bar at x " << r.box.x0;
    }
  }
}

TEST(SvgChart, LineChartLegendStaysOutsideThePlot) {
  LineChart chart;
  chart.series.push_back({"Se", {0, 6, 12, 18, 24}, {40, 60, 80, 95, 99}, "", true, true, false});
  chart.series.push_back({"+P", {0, 6, 12, 18, 24}, {50, 70, 90, 97, 99}, "", true, true, false});
  std::string svg = Render(chart);
  Box plot = PlotArea(svg);
  std::vector<Box> legend = LegendBoxes(svg, {"Se", "+P"});
  ASSERT_EQ(legend.size(), 4u);
  for (const Box& l : legend)
    EXPECT_FALSE(l.Intersects(plot));
}

// Every text inside the figure and no two texts on top of each other ("nfusion matrix").
void ExpectTextFitsAndNothingOverlaps(const std::string& svg) {
  std::vector<Text> texts = Texts(svg);
  double width = SvgWidth(svg);
  for (const Text& t : texts) {
    if (t.rotated) continue;
    EXPECT_GE(t.box.x0, 0) << "'" << t.content << "' starts left of the figure";
    EXPECT_LE(t.box.x1, width) << "'" << t.content << "' ends right of the figure (" << width
                               << ")";
    EXPECT_GE(t.box.y0, 0) << "'" << t.content << "' starts above the figure";
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t j = i + 1; j < texts.size(); ++j) {
      if (texts[i].rotated || texts[j].rotated) continue;
      EXPECT_FALSE(texts[i].box.Intersects(texts[j].box))
          << "'" << texts[i].content << "' overlaps '" << texts[j].content << "'";
    }
  }
}

TEST(SvgChart, HeatmapTitleAndLabelsFit) {
  Heatmap map;  // as `vigil ecg eval` draws its confusion matrix
  map.title = "Confusion matrix (gross; rows reference, columns test)";
  map.x_label = "test", map.y_label = "reference";
  map.row_labels = {"N", "S", "V", "F", "Q", "O (extra)"};
  map.column_labels = {"n", "s", "v", "f", "q", "o (missed)"};
  for (int r = 0; r < 6; ++r)
    map.values.push_back({44000, 1200, 350, 20, 3, 180});
  ExpectTextFitsAndNothingOverlaps(Render(map));
}

TEST(SvgChart, LongTitlesWrapInsideTheFigure) {
  LineChart chart;
  chart.title =
      "Record 208: V called n at 12:03.4, with a title far longer than the figure is wide, so it "
      "has to wrap onto a second line";
  chart.series.push_back({"MLII", {0, 1, 2}, {0.1, 0.5, -0.2}, "", true, false, false});
  std::string svg = Render(chart);
  ExpectTextFitsAndNothingOverlaps(svg);
  EXPECT_GE(Count(svg, "font-weight='bold'"), 2u);  // on two lines
  for (const Text& t : Texts(svg)) {
    if (t.size != 14) continue;
    EXPECT_LE(t.box.y1, PlotArea(svg).y0) << "title line '" << t.content << "' in the plot";
  }
}

// A rank or a count has no 1.5: every tick of an axis whose data are whole numbers is whole.
TEST(SvgChart, IntegerAxesGetIntegerTicks) {
  LineChart ranks;
  ranks.series.push_back({"Dice", {1, 2, 3}, {4, 7, 5}, "", true, true, false});
  BarChart counts;
  counts.categories = {"ecg", "ota", "seg"};
  counts.groups = {{"verified", {3, 1, 2}}, {"failing", {0, 1, 0}}};
  counts.y_min = 0;
  for (const std::string& svg : {Render(ranks), Render(counts)}) {
    int ticks = 0;
    for (const Text& t : Texts(svg)) {
      if (!IsNumber(t.content) || t.rotated) continue;
      ++ticks;
      double v = std::stod(t.content);
      EXPECT_EQ(v, std::round(v)) << "tick " << t.content << " on a whole-number axis";
    }
    EXPECT_GE(ticks, 3);
  }
}

// `vigil ecg eval` strips: the reference's and our class letter of one beat at the same time.
TEST(SvgChart, MarkerLabelsAtTheSameTimeDoNotOverlap) {
  LineChart strip;
  strip.series.push_back({"MLII", {0, 1, 2, 3}, {0, 1, 0, 0.5}, "", true, false, false});
  strip.markers = {
      {1.0, "V", "#1b5e20"}, {1.0, "n", "#b71c1c"}, {1.01, "N", "#1b5e20"}, {2.0, "S", "#1b5e20"}};
  std::string svg = Render(strip);
  std::vector<Text> labels;
  for (const Text& t : Texts(svg)) {
    if (t.fill == "#1b5e20" || t.fill == "#b71c1c") labels.push_back(t);
  }
  ASSERT_EQ(labels.size(), 4u);
  for (size_t i = 0; i < labels.size(); ++i) {
    for (size_t j = i + 1; j < labels.size(); ++j) {
      EXPECT_FALSE(labels[i].box.Intersects(labels[j].box))
          << labels[i].content << " drawn on " << labels[j].content;
    }
  }
}

}  // namespace
}  // namespace vigil::svg
