#pragma once
// portal-syncctl report's own options.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ctl/report/locale.hpp"

namespace psd::ctl::report {

enum class Format { text, csv, json, html };

/// Dates given by --from/--to, inclusive, in the local time zone (TZ).
struct Period {
  std::optional<std::chrono::year_month_day> from;
  std::optional<std::chrono::year_month_day> to;
};

struct ReportOptions {
  Format format = Format::text;
  std::optional<Lang> lang;                     ///< --lang; else from the locale
  std::optional<std::filesystem::path> output;  ///< -o: a file, or a folder for CSV
  std::optional<std::filesystem::path> state_dir;
  Period period;
};

/// Parse the report option at `args[i]` (advancing `i` past its value).
/// Return nothing when it was one, "" when it is not a report option, or the
/// reason it is invalid.
std::optional<std::string> parse_report_arg(const std::vector<std::string>& args, std::size_t& i,
                                            ReportOptions& options);

/// Return the reason the options do not fit together, or nothing.
std::optional<std::string> check_report_options(const ReportOptions& options);

}  // namespace psd::ctl::report
