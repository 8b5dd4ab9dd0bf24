#include "ctl/report/summary.hpp"

#include <fmt/format.h>

namespace psd::ctl::report {
namespace {

void add_row(Table& table, const char* moment, const std::string& at, const Summary& summary) {
  const core::Tally& overall = summary.overall;
  table.rows.push_back({Cell::of_text(moment), Cell::of_text(at), Cell::of_count(overall.total),
                        Cell::of_count(summary.full), Cell::of_count(summary.partial),
                        Cell::of_count(overall.integrated), Cell::of_count(overall.in_sync),
                        Cell::of_percent(overall.percent())});
}

}  // namespace

std::string summary_sentence(const Summary& summary, Lang lang) {
  const std::string total = format_count(summary.overall.total, lang);
  const std::string full = format_count(summary.full, lang);
  const std::string partial = format_count(summary.partial, lang);
  const std::string integrated = format_count(summary.overall.integrated, lang);
  const std::string percent = format_percent(summary.overall.percent(), lang);
  if (lang == Lang::vi) {
    return fmt::format(
        "{} dịch vụ công trực tuyến ({} toàn trình, {} một phần); {}/{} dịch vụ đã tích hợp, "
        "đồng bộ lên Cổng Dịch vụ công quốc gia, đạt {}%",
        total, full, partial, integrated, total, percent);
  }
  return fmt::format(
      "{} online public services ({} full-process, {} partial); {}/{} integrated and "
      "synchronised with the national public service portal: {}%",
      total, full, partial, integrated, total, percent);
}

Table summary_table(const Report& report) {
  Table table{
      .key = "summary",
      .columns = {"moment", "at", "total", "full", "partial", "integrated", "in_sync", "percent"}};
  add_row(table, "now", report.portal_listed_at, report.now);
  if (report.period_start)
    add_row(table, "period_start", report.period_start_at, *report.period_start);
  return table;
}

}  // namespace psd::ctl::report
