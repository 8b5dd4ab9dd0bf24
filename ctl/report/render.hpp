#pragma once
// The report's formats. Each takes the same Report; text, JSON and HTML are
// localised by `lang`, CSV never is.

#include <filesystem>
#include <string>

#include "ctl/report/locale.hpp"
#include "ctl/report/model.hpp"

namespace psd::ctl::report {

/// Plain text for a terminal: the summary sentence, then each table.
std::string render_text(const Report& report, Lang lang);
/// One JSON object with the keys README.md documents ("JSON report").
std::string render_json(const Report& report, Lang lang);
/// One self-contained HTML document: inline CSS and SVG, no script, no
/// request to any network, laid out for A4.
std::string render_html(const Report& report, Lang lang);

/// `table` as CSV (RFC 4180, CRLF), its stable keys as the header; with a
/// UTF-8 byte order mark first when `bom`.
std::string render_csv(const Table& table, bool bom);
/// Every table of the report, summary first, as (file stem, table).
std::vector<Table> csv_tables(const Report& report);

}  // namespace psd::ctl::report
