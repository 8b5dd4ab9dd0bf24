// The JSON format: one object with stable keys (README.md, "JSON report").
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "ctl/report/cells.hpp"
#include "ctl/report/render.hpp"
#include "ctl/report/summary.hpp"

namespace psd::ctl::report {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void string(Writer& out, std::string_view text) {
  out.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

/// "key": text.
void text_field(Writer& out, const char* key, std::string_view text) {
  out.Key(key);
  string(out, text);
}

/// "key": text, or null when there is none (an empty text).
void text_or_null_field(Writer& out, const char* key, std::string_view text) {
  out.Key(key);
  if (text.empty()) {
    out.Null();
  } else {
    string(out, text);
  }
}

/// "key": count, for each pair.
void count_fields(Writer& out,
                  std::initializer_list<std::pair<const char*, std::uint64_t>> fields) {
  for (const auto& [key, value] : fields) {
    out.Key(key);
    out.Uint64(value);
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
  text_or_null_field(out, "at", at);
  count_fields(out, {{"total", figures.overall.total},
                     {"full", figures.full},
                     {"partial", figures.partial},
                     {"integrated", figures.overall.integrated},
                     {"in_sync", figures.overall.in_sync}});
  out.Key("percent");
  out.Double(figures.overall.percent());
  text_field(out, "sentence", summary_sentence(figures, lang));
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
  text_or_null_field(out, "province", report.province);
  text_field(out, "lang", to_string(lang));
  text_field(out, "generated_at", report.generated_at);
  text_or_null_field(out, "catalogue_listed_at", report.listed_at);
  text_or_null_field(out, "portal_listed_at", report.portal_listed_at);
  out.Key("period");
  out.StartObject();
  text_or_null_field(out, "from", report.period.from ? format_date(*report.period.from) : "");
  text_or_null_field(out, "to", report.period.to ? format_date(*report.period.to) : "");
  count_fields(out, {{"pushed", report.pushed_in_period}});
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
  count_fields(
      out,
      {{"orphaned", report.orphaned}, {"rejected", report.rejected}, {"invalid", report.invalid}});
  out.EndObject();
  for (const Table& rows : report.tables) table(out, rows);
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace psd::ctl::report
