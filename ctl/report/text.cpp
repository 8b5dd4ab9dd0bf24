// The text format: what an operator reads in a terminal.
#include <fmt/format.h>

#include <algorithm>

#include "ctl/report/cells.hpp"
#include "ctl/report/render.hpp"
#include "ctl/report/summary.hpp"

namespace psd::ctl::report {
namespace {

/// Columns as a terminal counts them: one per code point (the report's text
/// is precomposed Vietnamese, codes and digits).
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool is_number(const Cell& cell) {
  return cell.kind == Cell::Kind::count || cell.kind == Cell::Kind::id ||
         cell.kind == Cell::Kind::percent;
}

std::string pad(const std::string& text, std::size_t to, bool right) {
  const std::size_t have = width(text);
  const std::string fill(to > have ? to - have : 0, ' ');
  return right ? fill + text : text + fill;
}

std::string render_table(const Table& table, Lang lang) {
  std::string out = fmt::format("\n{}\n", label(table.key, lang));
  if (table.rows.empty()) return out + "  " + std::string(label("none", lang)) + "\n";
  const auto first = static_cast<std::size_t>(table.group_columns);
  std::vector<std::size_t> widths(table.columns.size(), 0);
  for (std::size_t c = first; c < table.columns.size(); ++c) {
    widths[c] = width(std::string(label(table.columns[c], lang)));
  }
  for (const auto& row : table.rows) {
    for (std::size_t c = first; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], width(for_people(row[c], lang)));
    }
  }
  // A column of numbers is right-aligned, its heading too.
  std::vector<bool> numeric(table.columns.size(), false);
  for (const auto& row : table.rows) {
    for (std::size_t c = first; c < row.size(); ++c) numeric[c] = numeric[c] || is_number(row[c]);
  }
  const auto line = [&](const auto& text_of) {
    std::string text = " ";
    for (std::size_t c = first; c < table.columns.size(); ++c) {
      text += " " + pad(text_of(c), widths[c], numeric[c]);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  out += line([&](std::size_t c) { return std::string(label(table.columns[c], lang)); });
  std::string group;
  for (const auto& row : table.rows) {
    if (first > 0) {
      std::string heading;
      for (std::size_t c = 0; c < first; ++c) {
        if (!row[c].text.empty())
          heading += (heading.empty() ? "" : "  ") + for_people(row[c], lang);
      }
      if (heading != group || &row == &table.rows.front()) out += "  " + heading + "\n";
      group = heading;
    }
    out += line([&](std::size_t c) { return for_people(row[c], lang); });
  }
  return out;
}

}  // namespace

std::string render_text(const Report& report, Lang lang) {
  std::string out = fmt::format("{}\n", label("title", lang));
  if (!report.province.empty())
    out += fmt::format("{}: {}\n", label("province", lang), report.province);
  out +=
      fmt::format("{}: {}\n", label("generated_at", lang), format_time(report.generated_at, lang));
  out +=
      fmt::format("{}: {}; {}: {}\n", label("listed_at", lang), format_time(report.listed_at, lang),
                  label("portal_listed_at", lang), format_time(report.portal_listed_at, lang));
  out += "\n" + summary_sentence(report.now, lang) + "\n";
  if (report.period_start) {
    out += fmt::format("{} ({}): {}\n", label("period_start", lang),
                       format_time(report.period_start_at, lang),
                       summary_sentence(*report.period_start, lang));
  }
  out += fmt::format("{}: {}\n", label("pushed_in_period", lang),
                     format_count(report.pushed_in_period, lang));
  for (const Table& table : report.tables) out += render_table(table, lang);
  return out;
}

}  // namespace psd::ctl::report
