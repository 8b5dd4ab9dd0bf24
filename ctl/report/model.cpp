#include "ctl/report/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "daemon/core/plan.hpp"

namespace psd::ctl::report {
namespace {

using Row = std::vector<Cell>;

void add_tally(Row& row, const core::Tally& tally) {
  row.push_back(Cell::of_count(tally.total));
  row.push_back(Cell::of_count(tally.integrated));
  row.push_back(Cell::of_count(tally.in_sync));
  row.push_back(Cell::of_percent(tally.percent()));
}

Table by_level(const core::Coverage& coverage) {
  Table table{.key = "by_level", .columns = {"level", "total", "integrated", "in_sync", "percent"}};
  for (const auto& [word, tally] :
       {std::pair{"full", &coverage.full}, std::pair{"partial", &coverage.partial}}) {
    Row row{Cell::of_word("level", word)};
    add_tally(row, *tally);
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table by_admin_level(const core::Coverage& coverage) {
  Table table{.key = "by_admin_level",
              .columns = {"admin_level", "total", "integrated", "in_sync", "percent"}};
  for (const auto level :
       {core::AdminLevel::province, core::AdminLevel::district, core::AdminLevel::commune}) {
    const auto found = coverage.by_admin_level.find(level);
    Row row{Cell::of_word("admin_level", std::string(core::to_string(level)))};
    add_tally(row, found == coverage.by_admin_level.end() ? core::Tally{} : found->second);
    table.rows.push_back(std::move(row));
  }
  return table;
}

/// Lowest coverage first; among equals the larger agency (more services
/// missing), then by code, so that the order is the same every time.
std::vector<Report::Agency> agencies_worst_first(
    const core::Coverage& coverage,
    const std::unordered_map<std::string, std::string>& agency_names) {
  std::vector<Report::Agency> agencies;
  for (const auto& [code, tally] : coverage.by_agency) {
    const auto name = agency_names.find(code);
    agencies.push_back({code, name == agency_names.end() ? std::string() : name->second, tally});
  }
  std::sort(agencies.begin(), agencies.end(), [](const auto& a, const auto& b) {
    if (a.tally.percent() != b.tally.percent()) return a.tally.percent() < b.tally.percent();
    if (a.tally.total != b.tally.total) return a.tally.total > b.tally.total;
    return a.code < b.code;
  });
  return agencies;
}

Table by_agency(const std::vector<Report::Agency>& agencies) {
  Table table{
      .key = "by_agency",
      .columns = {"agency_code", "agency_name", "total", "integrated", "in_sync", "percent"}};
  for (const auto& agency : agencies) {
    Row row{Cell::of_text(agency.code), Cell::of_text(agency.name)};
    add_tally(row, agency.tally);
    table.rows.push_back(std::move(row));
  }
  return table;
}

struct ServiceInfo {
  std::string name;
  std::string agency_code;
};

Table rejected(const std::vector<core::ParkedPush>& parked,
               const std::unordered_map<std::string, ServiceInfo>& services,
               const std::unordered_map<std::string, std::string>& agency_names) {
  struct Entry {
    std::string agency_code{}, agency_name{}, code{}, name{}, reason{};
  };
  std::vector<Entry> entries;
  for (const auto& push : parked) {
    const auto service = services.find(push.code);
    Entry entry{.code = push.code, .reason = push.reason};
    if (service != services.end()) {
      entry.agency_code = service->second.agency_code;
      entry.name = service->second.name;
      const auto name = agency_names.find(entry.agency_code);
      if (name != agency_names.end()) entry.agency_name = name->second;
    }
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.agency_code, a.code) < std::tie(b.agency_code, b.code);
  });
  Table table{.key = "rejected",
              .columns = {"agency_code", "agency_name", "code", "name", "reason"},
              .group_columns = 2};
  for (auto& entry : entries) {
    table.rows.push_back(
        {Cell::of_text(std::move(entry.agency_code)), Cell::of_text(std::move(entry.agency_name)),
         Cell::of_text(std::move(entry.code)), Cell::of_text(std::move(entry.name)),
         Cell::of_text(std::move(entry.reason))});
  }
  return table;
}

Table invalid(const std::vector<core::InvalidRecord>& records) {
  Table table{.key = "invalid", .columns = {"code", "agency_code", "page", "rule"}};
  for (const auto& record : records) {
    table.rows.push_back({Cell::of_text(record.code), Cell::of_text(record.agency_code),
                          Cell::of_id(static_cast<std::uint64_t>(std::max(record.page, 0))),
                          Cell::of_text(record.reason)});
  }
  return table;
}

Table orphaned(const std::vector<std::string>& codes, const core::Mirror& mirror) {
  Table table{.key = "orphaned", .columns = {"code", "level"}};
  for (const auto& code : codes) {
    const auto held = mirror.find(code);
    table.rows.push_back(
        {Cell::of_text(code),
         held ? Cell::of_word("level", std::string(core::to_string(held->level))) : Cell::empty()});
  }
  return table;
}

bool in_period(std::chrono::year_month_day day, const Period& period) {
  return (!period.from || day >= *period.from) && (!period.to || day <= *period.to);
}

/// One row per local day of the period: the day's last cycle, the coverage
/// of its last cycle that listed both sides, the writes pushed that day, and
/// the pushes not done at its last cycle.
Table history(const std::vector<state::CycleRecord>& cycles, const Period& period, Report& report) {
  Table table{.key = "history",
              .columns = {"date", "last_cycle", "finished_at", "result", "cycles", "total",
                          "integrated", "in_sync", "percent", "pushed", "failed"}};
  struct Day {
    std::chrono::year_month_day date;
    const state::CycleRecord* last = nullptr;
    const state::CycleRecord* measured = nullptr;
    std::uint64_t cycles = 0;
    std::uint64_t pushed = 0;
  };
  std::vector<Day> days;
  for (const auto& cycle : cycles) {
    const auto date = local_date(cycle.finished_at);
    if (!date || !in_period(*date, period)) continue;
    if (days.empty() || days.back().date != *date) days.push_back(Day{*date});
    Day& day = days.back();
    day.last = &cycle;
    if (cycle.has_coverage) day.measured = &cycle;
    ++day.cycles;
    day.pushed += cycle.pushed;
    report.pushed_in_period += cycle.pushed;
    if (cycle.has_coverage && !report.period_start) {
      report.period_start = Summary{.overall = {.total = cycle.total,
                                                .integrated = cycle.integrated_before,
                                                .in_sync = cycle.in_sync_before},
                                    .full = cycle.full_total,
                                    .partial = cycle.partial_total};
      report.period_start_at = cycle.started_at;
    }
  }
  for (const Day& day : days) {
    Row row{Cell::of_text(format_date(day.date)),
            Cell::of_id(static_cast<std::uint64_t>(day.last->id)),
            Cell::of_text(day.last->finished_at),
            Cell::of_word("result", std::string(state::to_string(day.last->result))),
            Cell::of_count(day.cycles)};
    if (day.measured != nullptr) {
      const core::Tally tally{day.measured->total, day.measured->integrated, day.measured->in_sync};
      add_tally(row, tally);
      report.coverage_by_day.push_back({format_date(day.date), tally.percent()});
    } else {
      row.insert(row.end(), 4, Cell::empty());
    }
    row.push_back(Cell::of_count(day.pushed));
    row.push_back(Cell::of_count(day.last->failed));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace

Report build_report(const state::StoredState& state, const Period& period,
                    const std::string& province, const std::string& generated_at) {
  if (!state.snapshot || !state.mirror) {
    throw std::runtime_error(
        "state.db holds no complete cycle yet (no listing of both portals): nothing to report");
  }
  const core::Snapshot& snapshot = *state.snapshot;
  const core::Mirror& mirror = *state.mirror;
  // The daemon's own rules: the same coverage and plan as its status file.
  const core::Coverage coverage = core::compute_coverage(snapshot, mirror);
  const core::Plan plan =
      core::make_plan(snapshot, mirror, state.parked, core::WithdrawPolicy::keep_orphans);

  std::unordered_map<std::string, std::string> agency_names;
  std::unordered_map<std::string, ServiceInfo> services;
  for (const auto& entry : snapshot.services) {
    agency_names.emplace(entry.service.agency.code, entry.service.agency.name);
    services.emplace(entry.service.code,
                     ServiceInfo{entry.service.name, entry.service.agency.code});
  }

  Report report;
  report.province = province;
  report.generated_at = generated_at;
  report.listed_at = state.snapshot_saved_at.value_or("");
  report.portal_listed_at = state.mirror_saved_at.value_or("");
  report.period = period;
  report.now = Summary{
      .overall = coverage.overall, .full = coverage.full.total, .partial = coverage.partial.total};
  report.orphaned = coverage.orphaned;
  report.rejected = plan.parked.size();
  report.invalid = plan.invalid.size();
  report.agencies = agencies_worst_first(coverage, agency_names);

  report.tables.push_back(by_level(coverage));
  report.tables.push_back(by_admin_level(coverage));
  report.tables.push_back(by_agency(report.agencies));
  report.tables.push_back(rejected(plan.parked, services, agency_names));
  report.tables.push_back(invalid(plan.invalid));
  report.tables.push_back(orphaned(plan.orphaned, mirror));
  report.tables.push_back(history(state.cycles, period, report));
  return report;
}

std::optional<std::chrono::year_month_day> local_date(const std::string& utc) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(utc.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                  &second) != 6) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t when = ::timegm(&tm);
  std::tm local{};
  if (::localtime_r(&when, &local) == nullptr) return std::nullopt;
  return std::chrono::year_month_day{std::chrono::year{local.tm_year + 1900},
                                     std::chrono::month{static_cast<unsigned>(local.tm_mon + 1)},
                                     std::chrono::day{static_cast<unsigned>(local.tm_mday)}};
}

std::string format_date(std::chrono::year_month_day date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  int year = 0;
  unsigned month = 0, day = 0;
  char tail = 0;
  const std::string copy(text);
  if (text.size() != 10 ||
      std::sscanf(copy.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace psd::ctl::report
