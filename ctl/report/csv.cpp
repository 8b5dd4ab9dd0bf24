// The CSV format: one table per file, for spreadsheets (Excel reads UTF-8
// only with a byte order mark).
#include "ctl/report/cells.hpp"
#include "ctl/report/render.hpp"
#include "ctl/report/summary.hpp"

namespace psd::ctl::report {
namespace {

// A leading =, +, - or @ makes a spreadsheet run the cell as a formula; the
// catalogue's and the portal's text must stay text (a quote first, as OWASP
// advises for CSV injection).
bool looks_like_formula(const std::string& text) {
  return !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                           text[0] == '\t' || text[0] == '\r');
}

std::string field(const Cell& cell) {
  std::string text = plain(cell);
  if (cell.kind == Cell::Kind::text && looks_like_formula(text)) text.insert(0, 1, '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

std::string render_csv(const Table& table, bool bom) {
  std::string out = bom ? "\xEF\xBB\xBF" : "";
  for (std::size_t c = 0; c < table.columns.size(); ++c) out += (c ? "," : "") + table.columns[c];
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + field(row[c]);
    out += "\r\n";
  }
  return out;
}

std::vector<Table> csv_tables(const Report& report) {
  std::vector<Table> tables{summary_table(report)};
  tables.insert(tables.end(), report.tables.begin(), report.tables.end());
  return tables;
}

}  // namespace psd::ctl::report
