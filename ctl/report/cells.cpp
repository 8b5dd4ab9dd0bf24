#include "ctl/report/cells.hpp"

namespace psd::ctl::report {

std::string for_people(const Cell& cell, Lang lang) {
  switch (cell.kind) {
    case Cell::Kind::text:
      return cell.text;
    case Cell::Kind::word:
      return std::string(label(cell.prefix + "." + cell.text, lang));
    case Cell::Kind::count:
      return format_count(cell.count, lang);
    case Cell::Kind::id:
      return std::to_string(cell.count);
    case Cell::Kind::percent:
      return format_percent(cell.percent, lang);
    case Cell::Kind::none:
      return "–";
  }
  return {};
}

std::string plain(const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::text:
    case Cell::Kind::word:
      return cell.text;
    case Cell::Kind::count:
    case Cell::Kind::id:
      return std::to_string(cell.count);
    case Cell::Kind::percent:
      return plain_percent(cell.percent);
    case Cell::Kind::none:
      return {};
  }
  return {};
}

}  // namespace psd::ctl::report
