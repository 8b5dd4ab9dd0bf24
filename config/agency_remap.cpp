#include "config/agency_remap.hpp"

#include <functional>
#include <map>

#include "config/checks.hpp"
#include "config/config.hpp"

namespace psd::config {
namespace {

constexpr std::size_t kMaxCodeChars = 64;        // the contract's agency.code
constexpr std::size_t kMaxNameCodePoints = 300;  // the contract's agency.name

struct CsvRecord {
  std::vector<std::string> cells;
  int line = 0;  ///< where the record starts
};

/// What split_csv calls with the line and the reason when the text is not
/// CSV; it throws (the loader's ConfigError), so it never returns.
using CsvFail = std::function<void(int line, const std::string& message)>;

/// Split RFC 4180 text (CRLF or LF; quoted cells may hold commas, quotes as
/// "" and line breaks) into records. Blank lines are skipped.
std::vector<CsvRecord> split_csv(std::string_view text, const CsvFail& fail) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string cell;
  int line = 1;
  record.line = 1;
  bool quoted = false;
  bool cell_was_quoted = false;
  bool empty_line = true;
  const auto end_record = [&] {
    record.cells.push_back(std::move(cell));
    cell.clear();
    if (!(empty_line && record.cells.size() == 1 && record.cells[0].empty())) {
      records.push_back(std::move(record));
    }
    record = CsvRecord{};
    record.line = line;
    empty_line = true;
    cell_was_quoted = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      if (!cell.empty() || cell_was_quoted) {
        fail(line,
             "a quote inside an unquoted cell (quote the whole cell, and write "
             "a quote in it as \"\")");
      }
      quoted = true;
      cell_was_quoted = true;
      empty_line = false;
    } else if (c == ',') {
      record.cells.push_back(std::move(cell));
      cell.clear();
      cell_was_quoted = false;
      empty_line = false;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      ++line;
      end_record();
    } else {
      if (cell_was_quoted) fail(line, "text after a quoted cell's closing quote");
      cell += c;
      empty_line = false;
    }
  }
  if (quoted) fail(record.line, "a quoted cell is never closed");
  if (!empty_line || !record.cells.empty()) end_record();
  return records;
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    unsigned min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      min = 0x10000;
    } else {
      return false;
    }
    unsigned code = c & (0x3F >> n);
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= text.size()) return false;
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool has_control(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

std::vector<AgencyRemapRow> parse_agency_remap(std::string_view text, const std::string& source) {
  const auto fail = [&](int line, const std::string& column, const std::string& message) {
    throw ConfigError(source + ":" + std::to_string(line) + ": " + column + message, column, line);
  };
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a spreadsheet's BOM
  if (!valid_utf8(text)) fail(1, "", "not valid UTF-8 (save the CSV as UTF-8)");
  const std::vector<CsvRecord> records =
      split_csv(text, [&](int line, const std::string& message) { fail(line, "", message); });
  if (records.empty()) fail(1, "", "empty: the header old_code,new_code,new_name is required");
  const CsvRecord& header = records.front();
  std::vector<std::string> names;
  for (const auto& cell : header.cells) names.push_back(trim(cell));
  if (names != std::vector<std::string>{"old_code", "new_code", "new_name"}) {
    fail(header.line, "", "the header must be old_code,new_code,new_name");
  }

  std::vector<AgencyRemapRow> rows;
  std::map<std::string, int, std::less<>> old_line;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (record.cells.size() != 3) {
      fail(record.line, "",
           "has " + std::to_string(record.cells.size()) +
               " cells, the header has 3 (old_code,new_code,new_name)");
    }
    AgencyRemapRow row{trim(record.cells[0]), trim(record.cells[1]), trim(record.cells[2]),
                       record.line};
    for (const auto& [column, value] :
         {std::pair{"old_code", &row.old_code}, std::pair{"new_code", &row.new_code}}) {
      if (value->empty() || value->size() > kMaxCodeChars || has_control(*value)) {
        fail(record.line, column,
             ": must be 1 to 64 characters without control characters, got " +
                 detail::quote(*value));
      }
    }
    if (code_points(row.new_name) > kMaxNameCodePoints || has_control(row.new_name)) {
      fail(record.line, "new_name",
           ": must be at most 300 characters without control characters, got " +
               detail::quote(row.new_name));
    }
    if (row.old_code == row.new_code) {
      fail(record.line, "new_code", ": equals old_code " + detail::quote(row.old_code));
    }
    const auto [at, fresh] = old_line.emplace(row.old_code, record.line);
    if (!fresh) {
      fail(record.line, "old_code",
           ": " + detail::quote(row.old_code) + " is remapped already on line " +
               std::to_string(at->second) + " (each old code at most once)");
    }
    rows.push_back(std::move(row));
  }
  for (const auto& row : rows) {
    if (const auto chained = old_line.find(row.new_code); chained != old_line.end()) {
      fail(row.line, "new_code",
           ": " + detail::quote(row.new_code) + " is also an old_code on line " +
               std::to_string(chained->second) +
               " (a chain): map every old code straight to its final code");
    }
  }
  return rows;
}

}  // namespace psd::config
