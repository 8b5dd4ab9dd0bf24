#include "ctl/report/charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace psd::ctl::report {
namespace {

// Sizes in SVG user units; the charts scale to the page's width.
constexpr double kWidth = 680;
constexpr double kLineHeight = 210;
constexpr double kBarRow = 15;
constexpr const char* kInk = "#1a1a1a";
constexpr const char* kGrid = "#c8c8c8";
constexpr const char* kSeries = "#1f3f6e";
constexpr const char* kFont =
    "font-family=\"'Liberation Serif','Times New Roman','DejaVu Serif',serif\"";

struct Point {
  std::string label;
  double percent = 0;
};

/// Keep the first `max_points` code points of `text`, with an ellipsis when cut.
std::string shorten(const std::string& text, std::size_t max_points) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((text[i] & 0xC0) == 0x80) continue;
    if (points++ == max_points) return text.substr(0, i) + "…";
  }
  return text;
}

/// The lowest gridline: a multiple of 10 below every point, 90 at most.
double axis_floor(const std::vector<Point>& points) {
  double low = 100;
  for (const auto& point : points) low = std::min(low, point.percent);
  return std::clamp(std::floor((low - 1) / 10) * 10, 0.0, 90.0);
}

/// Keep the values at the chart's ends inside it.
const char* anchor_at_end(std::size_t i, std::size_t count) {
  if (count < 2) return "middle";
  return i == 0 ? "start" : "end";
}

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string coverage_chart(const Report& report, Lang lang) {
  std::vector<Point> points;
  if (report.period_start)
    points.push_back({std::string(label("start", lang)), report.period_start->overall.percent()});
  for (const auto& day : report.coverage_by_day) points.push_back({day.date, day.percent});

  const double left = 44, right = 16, top = 14, bottom = 34;
  const double plot_w = kWidth - left - right, plot_h = kLineHeight - top - bottom;
  const double low = axis_floor(points);
  const auto y_of = [&](double percent) { return top + plot_h * (100 - percent) / (100 - low); };
  // Points stay clear of the axis and of the right edge.
  const double inset = 16;
  const auto x_of = [&](std::size_t i) {
    if (points.size() < 2) return left + plot_w / 2;
    return left + inset +
           (plot_w - 2 * inset) * static_cast<double>(i) / static_cast<double>(points.size() - 1);
  };

  std::string svg = fmt::format(
      "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" {} font-size=\"11\" fill=\"{}\">\n",
      escape_xml(std::string(label("chart_coverage", lang))), kWidth, kLineHeight, kFont, kInk);
  const double step = (100 - low) / 5;
  for (int i = 0; i <= 5; ++i) {
    const double value = low + step * i;
    const double y = y_of(value);
    svg += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
        "stroke-width=\"0.6\"/>\n<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}%</text>\n",
        left, y, kWidth - right, y, kGrid, left - 6, y + 4, format_percent(value, lang));
  }
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2:.1f}\" stroke=\"{3}\"/>\n",
                     left, top, top + plot_h, kInk);
  if (points.empty()) {
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                       left + plot_w / 2, top + plot_h / 2,
                       escape_xml(std::string(label("chart_no_history", lang))));
    return svg + "</svg>\n";
  }
  if (points.size() > 1) {
    std::string path;
    for (std::size_t i = 0; i < points.size(); ++i) {
      path += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "" : " ", x_of(i), y_of(points[i].percent));
    }
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       path, kSeries);
  }
  // Label at most about 12 dates under the axis; always the first and last.
  const std::size_t every = std::max<std::size_t>(1, (points.size() + 11) / 12);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double x = x_of(i), y = y_of(points[i].percent);
    svg +=
        fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", x, y, kSeries);
    const bool ends = i == 0 || i + 1 == points.size();
    const char* anchor = ends ? anchor_at_end(i, points.size()) : "middle";
    if (ends || i % every == 0) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">{}</text>\n", x,
                         top + plot_h + 16, anchor, escape_xml(points[i].label));
    }
    if (ends) {
      // Above the point, or below it when the point is at the top.
      const double label_y = y - 8 < top + 8 ? y + 16 : y - 8;
      svg += fmt::format(
          "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\" font-weight=\"bold\">{}%</text>\n", x,
          label_y, anchor, format_percent(points[i].percent, lang));
    }
  }
  return svg + "</svg>\n";
}

std::string agency_chart(const std::vector<Report::Agency>& agencies, std::size_t limit,
                         Lang lang) {
  const std::size_t shown = std::min(limit, agencies.size());
  const double label_w = 300, value_w = 52, top = 4;
  const double bar_w = kWidth - label_w - value_w;
  const double height = top + kBarRow * static_cast<double>(std::max<std::size_t>(shown, 1)) + 20;
  std::string svg = fmt::format(
      "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {:.0f}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" {} font-size=\"10.5\" fill=\"{}\">\n",
      escape_xml(std::string(label("chart_agencies", lang))), kWidth, height, kFont, kInk);
  for (int tick = 0; tick <= 100; tick += 25) {
    const double x = label_w + bar_w * tick / 100.0;
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" "
        "stroke-width=\"0.6\"/>\n<text x=\"{0:.1f}\" y=\"{4:.1f}\" "
        "text-anchor=\"middle\">{5}%</text>\n",
        x, top, height - 16, kGrid, height - 4, tick);
  }
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& agency = agencies[i];
    const double y = top + kBarRow * static_cast<double>(i);
    const std::string name = agency.name.empty() ? agency.code : agency.name;
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n"
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n"
        "<text x=\"{:.1f}\" y=\"{:.1f}\">{}%</text>\n",
        label_w - 6, y + 11, escape_xml(shorten(name, 48)), label_w, y + 3,
        bar_w * agency.tally.percent() / 100.0, kBarRow - 5, kSeries, kWidth - value_w + 6, y + 11,
        format_percent(agency.tally.percent(), lang));
  }
  return svg + "</svg>\n";
}

}  // namespace psd::ctl::report
