#include "ctl/report/options.hpp"

#include "ctl/report/model.hpp"

namespace psd::ctl::report {
namespace {

tl::unexpected<core::Failure> invalid(std::string reason) {
  return core::failure(core::FailureKind::invalid, std::move(reason));
}

std::optional<Format> parse_format(const std::string& text) {
  if (text == "text") return Format::text;
  if (text == "csv") return Format::csv;
  if (text == "json") return Format::json;
  if (text == "html") return Format::html;
  return std::nullopt;
}

}  // namespace

tl::expected<void, core::Failure> parse_report_arg(const std::vector<std::string>& args,
                                                   std::size_t& i, ReportOptions& options) {
  const std::string& arg = args[i];
  std::string name = arg;
  std::optional<std::string> inline_value;
  if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
    name = arg.substr(0, eq);
    inline_value = arg.substr(eq + 1);
  }
  for (const char* known :
       {"--format", "--lang", "-o", "--output", "--state-dir", "--from", "--to"}) {
    if (name != known) continue;
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    }
    if (value.empty()) return invalid(name + " needs a value");
    if (name == "--format") {
      const auto format = parse_format(value);
      if (!format) return invalid("--format: '" + value + "' is not one of text, csv, json, html");
      options.format = *format;
    } else if (name == "--lang") {
      options.lang = parse_lang(value);
      if (!options.lang) return invalid("--lang: '" + value + "' is not one of en, vi");
    } else if (name == "-o" || name == "--output") {
      options.output = value;
    } else if (name == "--state-dir") {
      options.state_dir = value;
    } else {
      const auto date = parse_date(value);
      if (!date) {
        std::string reason = name;
        reason += ": '" + value + "' is not a date (YYYY-MM-DD)";
        return invalid(std::move(reason));
      }
      (name == "--from" ? options.period.from : options.period.to) = *date;
    }
    return {};
  }
  return invalid("unknown argument '" + arg + "' for report");
}

tl::expected<void, core::Failure> check_report_options(const ReportOptions& options) {
  if (options.period.from && options.period.to && *options.period.to < *options.period.from) {
    return invalid("--to is before --from");
  }
  return {};
}

}  // namespace psd::ctl::report
