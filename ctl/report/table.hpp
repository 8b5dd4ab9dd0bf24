#pragma once
// A report table as data: stable column keys (the CSV headers and JSON keys)
// and typed cells, so that every format renders the same figures.

#include <cstdint>
#include <string>
#include <vector>

namespace psd::ctl::report {

struct Cell {
  enum class Kind {
    text,     ///< shown as it is (codes, names, reasons, dates)
    word,     ///< a stored word ("full"), localised through label(prefix + "." + text)
    count,    ///< an integer, with thousands separators where localised
    id,       ///< an integer that names something (a cycle): never grouped
    percent,  ///< rounded to 2 decimals by core::rounded_percent
    none,     ///< no value: empty in CSV, null in JSON, "–" for people
  };
  Kind kind = Kind::none;
  std::string text{};    ///< text and word
  std::string prefix{};  ///< word: "level", "admin_level", "result"
  std::uint64_t count = 0;
  double percent = 0;

  static Cell of_text(std::string value) { return {.kind = Kind::text, .text = std::move(value)}; }
  static Cell of_word(std::string prefix, std::string value) {
    return {.kind = Kind::word, .text = std::move(value), .prefix = std::move(prefix)};
  }
  static Cell of_count(std::uint64_t value) { return {.kind = Kind::count, .count = value}; }
  static Cell of_id(std::uint64_t value) { return {.kind = Kind::id, .count = value}; }
  static Cell of_percent(double value) { return {.kind = Kind::percent, .percent = value}; }
  static Cell empty() { return {}; }
};

struct Table {
  std::string key{};                   ///< "by_agency": file name, JSON member, heading label
  std::vector<std::string> columns{};  ///< snake_case keys, stable whatever the language
  std::vector<std::vector<Cell>> rows{};
  /// For people (text, HTML): rows are grouped under the values of these
  /// leading columns (the rejected services, by agency); 0 when not grouped.
  int group_columns = 0;
};

}  // namespace psd::ctl::report
