// The JSON format: one object with stable keys (README.md, "JSON report").
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "ctl/report/cells.hpp"
#include "ctl/report/render.hpp"
#include "ctl/report/summary.hpp"

namespace psd::ctl::report {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void string(Writer& out, const std::string& text) {
  out.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void string_or_null(Writer& out, const std::string& text) {
  if (text.empty()) {
    out.Null();
  } else {
    string(out, text);
  }
}

void cell(Writer& out, const Cell& value) {
  switch (value.kind) {
    case Cell::Kind::text:
    case Cell::Kind::word:
      string(out, value.text);
      return;
    case Cell::Kind::count:
    case Cell::Kind::id:
      out.Uint64(value.count);
      return;
    case Cell::Kind::percent:
      out.Double(value.percent);
      return;
    case Cell::Kind::none:
      out.Null();
      return;
  }
}

void summary(Writer& out, const Summary& figures, const std::string& at, Lang lang) {
  out.StartObject();
  out.Key("at");
  string_or_null(out, at);
  for (const auto& [key, value] :
       {std::pair{"total", figures.total}, std::pair{"full", figures.full},
        std::pair{"partial", figures.partial}, std::pair{"integrated", figures.integrated},
        std::pair{"in_sync", figures.in_sync}}) {
    out.Key(key);
    out.Uint64(value);
  }
  out.Key("percent");
  out.Double(figures.percent);
  out.Key("sentence");
  string(out, summary_sentence(figures, lang));
  out.EndObject();
}

void table(Writer& out, const Table& rows) {
  out.Key(rows.key.c_str());
  out.StartArray();
  for (const auto& row : rows.rows) {
    out.StartObject();
    for (std::size_t c = 0; c < row.size(); ++c) {
      out.Key(rows.columns[c].c_str());
      cell(out, row[c]);
    }
    out.EndObject();
  }
  out.EndArray();
}

}  // namespace

std::string render_json(const Report& report, Lang lang) {
  rapidjson::StringBuffer buffer;
  Writer out(buffer);
  out.SetIndent(' ', 2);
  out.StartObject();
  out.Key("report_version");
  out.Int(1);
  out.Key("province");
  string_or_null(out, report.province);
  out.Key("lang");
  string(out, std::string(to_string(lang)));
  out.Key("generated_at");
  string(out, report.generated_at);
  out.Key("catalogue_listed_at");
  string_or_null(out, report.listed_at);
  out.Key("portal_listed_at");
  string_or_null(out, report.portal_listed_at);
  out.Key("period");
  out.StartObject();
  out.Key("from");
  string_or_null(out, report.period.from ? format_date(*report.period.from) : "");
  out.Key("to");
  string_or_null(out, report.period.to ? format_date(*report.period.to) : "");
  out.Key("pushed");
  out.Uint64(report.pushed_in_period);
  out.EndObject();
  out.Key("summary");
  summary(out, report.now, report.portal_listed_at, lang);
  out.Key("period_start");
  if (report.period_start) {
    summary(out, *report.period_start, report.period_start_at, lang);
  } else {
    out.Null();
  }
  out.Key("counts");
  out.StartObject();
  for (const auto& [key, value] :
       {std::pair{"orphaned", report.orphaned}, std::pair{"rejected", report.rejected},
        std::pair{"invalid", report.invalid}}) {
    out.Key(key);
    out.Uint64(value);
  }
  out.EndObject();
  for (const Table& rows : report.tables) table(out, rows);
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace psd::ctl::report
