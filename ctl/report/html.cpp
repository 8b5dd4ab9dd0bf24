// The HTML format: one file a person files or prints. Inline CSS and SVG
// only: no script, no font, image or style sheet fetched from anywhere.
#include <fmt/format.h>

#include "ctl/report/cells.hpp"
#include "ctl/report/charts.hpp"
#include "ctl/report/render.hpp"
#include "ctl/report/summary.hpp"

namespace psd::ctl::report {
namespace {

constexpr std::size_t kChartAgencies = 20;

// Sober, printable: serif body like the province's own documents, black on
// white, thin rules, A4 with margins; tables repeat their heading on each page.
constexpr const char* kStyle = R"css(
@page { size: A4; margin: 14mm 14mm 15mm 14mm; }
* { box-sizing: border-box; }
html { background: #fff; }
body { margin: 0 auto; max-width: 182mm; padding: 6mm 0; color: #111;
  font-family: "Liberation Serif", "Times New Roman", "DejaVu Serif", serif; font-size: 10.5pt;
  line-height: 1.35; }
@media print { body { padding: 0; max-width: none; } }
header { border-bottom: 1.2pt solid #111; padding-bottom: 2mm; margin-bottom: 4mm; }
header .meta { display: flex; justify-content: space-between; font-size: 9pt; color: #333; }
h1 { font-size: 14pt; text-align: center; text-transform: uppercase; margin: 2mm 0 1mm;
  letter-spacing: 0.02em; }
h2 { font-size: 11pt; margin: 5mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
.summary { border: 0.8pt solid #111; padding: 2.5mm 4mm; margin: 0 0 3mm; }
.summary p { margin: 0.8mm 0; }
.summary .sentence { font-size: 12pt; font-weight: bold; }
.figures { display: flex; flex-wrap: wrap; gap: 1mm 6mm; font-size: 9.5pt; margin-top: 1.5mm; }
figure { margin: 0 0 2mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; font-size: 10pt; margin: 3mm 0 1mm; }
svg.chart { display: block; width: 100%; height: auto; }
.pair { display: flex; gap: 6mm; }
.pair > section { flex: 1; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; line-height: 1.2; }
th, td { border: 0.5pt solid #888; padding: 0.6mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #ececec; font-weight: bold; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group td { background: #f5f5f5; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
p.none { font-style: italic; margin: 0; font-size: 9pt; }
footer { margin-top: 4mm; font-size: 8pt; color: #444; border-top: 0.5pt solid #888; padding-top: 1mm; }
)css";

bool is_number(const Cell& cell) {
  return cell.kind == Cell::Kind::count || cell.kind == Cell::Kind::id ||
         cell.kind == Cell::Kind::percent;
}

std::string render_table(const Table& table, Lang lang) {
  std::string out =
      fmt::format("<section>\n<h2>{}</h2>\n", escape_xml(std::string(label(table.key, lang))));
  if (table.rows.empty()) {
    return out + fmt::format("<p class=\"none\">{}</p>\n</section>\n", label("none", lang));
  }
  const auto first = static_cast<std::size_t>(table.group_columns);
  std::vector<bool> numeric(table.columns.size(), false);
  for (const auto& row : table.rows) {
    for (std::size_t c = first; c < row.size(); ++c) numeric[c] = numeric[c] || is_number(row[c]);
  }
  out += "<table>\n<thead><tr>";
  for (std::size_t c = first; c < table.columns.size(); ++c) {
    out += fmt::format("<th{}>{}</th>", numeric[c] ? " class=\"n\"" : "",
                       escape_xml(std::string(label(table.columns[c], lang))));
  }
  out += "</tr></thead>\n<tbody>\n";
  std::string group;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    if (first > 0) {
      std::string heading;
      for (std::size_t c = 0; c < first; ++c) {
        if (!row[c].text.empty())
          heading += (heading.empty() ? "" : " — ") + for_people(row[c], lang);
      }
      if (r == 0 || heading != group) {
        out += fmt::format("<tr class=\"group\"><td colspan=\"{}\">{}</td></tr>\n",
                           table.columns.size() - first, escape_xml(heading));
      }
      group = heading;
    }
    out += "<tr>";
    for (std::size_t c = first; c < row.size(); ++c) {
      out += fmt::format("<td{}>{}</td>", numeric[c] ? " class=\"n\"" : "",
                         escape_xml(for_people(row[c], lang)));
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string summary_box(const Report& report, Lang lang) {
  std::string out = "<div class=\"summary\">\n";
  out += fmt::format("<p class=\"sentence\">{}.</p>\n",
                     escape_xml(summary_sentence(report.now, lang)));
  if (report.period_start) {
    out += fmt::format("<p>{} ({}): {}.</p>\n", label("period_start", lang),
                       escape_xml(format_time(report.period_start_at, lang)),
                       escape_xml(summary_sentence(*report.period_start, lang)));
  }
  out += "<div class=\"figures\">";
  const auto figure = [&](const char* key, std::uint64_t value) {
    out += fmt::format("<span>{}: <b>{}</b></span>", label(key, lang), format_count(value, lang));
  };
  figure("in_sync", report.now.overall.in_sync);
  figure("rejected_count", report.rejected);
  figure("invalid_count", report.invalid);
  figure("orphaned_count", report.orphaned);
  figure("pushed_in_period", report.pushed_in_period);
  return out + "</div>\n</div>\n";
}

std::string period_text(const Report& report, Lang lang) {
  if (!report.period.from && !report.period.to) return std::string(label("period_all", lang));
  return fmt::format("{} – {}", report.period.from ? format_date(*report.period.from) : "…",
                     report.period.to ? format_date(*report.period.to) : "…");
}

}  // namespace

std::string render_html(const Report& report, Lang lang) {
  const std::string title = std::string(label("title", lang));
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}{}</title>\n<style>{}</style>\n</head>\n<body>\n",
      to_string(lang), escape_xml(title),
      report.province.empty() ? "" : " — " + escape_xml(report.province), kStyle);
  out += "<header>\n<div class=\"meta\">";
  out += fmt::format("<span>{}</span>", report.province.empty()
                                            ? ""
                                            : fmt::format("{}: <b>{}</b>", label("province", lang),
                                                          escape_xml(report.province)));
  out += fmt::format("<span>{}: {}</span></div>\n", label("period", lang),
                     escape_xml(period_text(report, lang)));
  out += fmt::format("<h1>{}</h1>\n</header>\n", escape_xml(title));
  out += summary_box(report, lang);
  out += fmt::format("<figure>\n<figcaption>{}</figcaption>\n{}</figure>\n",
                     label("chart_coverage", lang), coverage_chart(report, lang));
  out += "<div class=\"pair\">\n";
  for (const Table& table : report.tables) {
    if (table.key == "by_level" || table.key == "by_admin_level") out += render_table(table, lang);
  }
  out += "</div>\n";
  out += fmt::format("<figure>\n<figcaption>{}</figcaption>\n{}</figure>\n",
                     label("chart_agencies", lang),
                     agency_chart(report.agencies, kChartAgencies, lang));
  for (const Table& table : report.tables) {
    if (table.key != "by_level" && table.key != "by_admin_level") out += render_table(table, lang);
  }
  out += fmt::format(
      "<footer>portal-syncd · {}: {} · {}: {} · {}: {}</footer>\n</body>\n</html>\n",
      label("generated_at", lang), escape_xml(format_time(report.generated_at, lang)),
      label("listed_at", lang), escape_xml(format_time(report.listed_at, lang)),
      label("portal_listed_at", lang), escape_xml(format_time(report.portal_listed_at, lang)));
  return out;
}

}  // namespace psd::ctl::report
