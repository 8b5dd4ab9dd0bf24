#pragma once
// The report as values: figures computed from state.db by the daemon's own
// core::compute_coverage and core::make_plan, and laid out as tables.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctl/report/options.hpp"
#include "ctl/report/table.hpp"
#include "daemon/core/coverage.hpp"
#include "daemon/state/state_reader.hpp"

namespace psd::ctl::report {

/// The figures of the summary sentence: the active services' tally (its
/// percent() is the figure reported) and how many are of each level.
struct Summary {
  core::Tally overall;
  std::uint64_t full = 0;
  std::uint64_t partial = 0;
};

/// The coverage at the end of one day (its last cycle that listed both sides).
struct DayPoint {
  std::string date;  ///< YYYY-MM-DD, local time
  double percent = 0;
};

struct Report {
  std::string province;  ///< from the configuration; empty with --state-dir alone
  std::string generated_at;
  std::string listed_at;         ///< when the catalogue listing was saved
  std::string portal_listed_at;  ///< when the national listing was saved
  Period period;
  Summary now;
  std::uint64_t orphaned = 0;
  std::uint64_t rejected = 0;
  std::uint64_t invalid = 0;
  /// Before the pushes of the period's first cycle that listed both sides.
  std::optional<Summary> period_start;
  std::string period_start_at;  ///< that cycle's start time
  std::uint64_t pushed_in_period = 0;
  std::vector<DayPoint> coverage_by_day;  ///< for the chart, oldest first
  /// The agencies worst first, for the bar chart: code, name, tally.
  struct Agency {
    std::string code;
    std::string name;
    core::Tally tally;
  };
  std::vector<Agency> agencies;
  /// by_level, by_admin_level, by_agency, rejected, invalid, orphaned, history.
  std::vector<Table> tables;
};

/// Return the report of `state` for `period`. Throw std::runtime_error when
/// state.db holds no complete cycle yet (no listing of both sides).
Report build_report(const state::StoredState& state, const Period& period,
                    const std::string& province, const std::string& generated_at);

/// Return the local date (YYYY-MM-DD, time zone from TZ) of an RFC 3339 UTC
/// time from state.db, or nothing when it cannot be read.
std::optional<std::chrono::year_month_day> local_date(const std::string& utc);
/// Return "YYYY-MM-DD".
std::string format_date(std::chrono::year_month_day date);
/// Return the date of "YYYY-MM-DD", or nothing when it is not a valid date.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

}  // namespace psd::ctl::report
