#pragma once
// portal-syncctl report's own options.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "ctl/report/locale.hpp"
#include "daemon/core/failure.hpp"

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

/// Read the report option at `args[i]` into `options` (advancing `i` past its
/// value), or return why not: not a report option, or an invalid value.
tl::expected<void, core::Failure> parse_report_arg(const std::vector<std::string>& args,
                                                   std::size_t& i, ReportOptions& options);

/// Check that the options fit together, or say why not.
tl::expected<void, core::Failure> check_report_options(const ReportOptions& options);

}  // namespace psd::ctl::report
