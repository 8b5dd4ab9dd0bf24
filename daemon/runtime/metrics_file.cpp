#include "daemon/runtime/metrics_file.hpp"

#include <fmt/format.h>

#include <charconv>
#include <utility>
#include <vector>


namespace psd::runtime {
namespace {

/// One sample: its extra label (name and value; empty name for none) and value.
struct Sample {
  std::string_view label{};
  std::string_view label_value{};
  double value = 0;
};

/// The exposition format escapes \, " and newline in label values.
std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

class Exposition {
 public:
  explicit Exposition(std::string_view province)
      : province_label_("province=\"" + escape_label(province) + "\"") {}

  void family(std::string_view name, std::string_view type, std::string_view help,
              const std::vector<Sample>& samples) {
    fmt::format_to(std::back_inserter(text_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name,
                   type);
    for (const Sample& sample : samples) {
      if (sample.label.empty()) {
        fmt::format_to(std::back_inserter(text_), "{}{{{}}} {}\n", name, province_label_,
                       sample.value);
      } else {
        fmt::format_to(std::back_inserter(text_), "{}{{{},{}=\"{}\"}} {}\n", name, province_label_,
                       sample.label, escape_label(sample.label_value), sample.value);
      }
    }
  }

  void gauge(std::string_view name, std::string_view help, double value) {
    family(name, "gauge", help, {{.value = value}});
  }

  std::string take() { return std::move(text_); }

 private:
  std::string province_label_;
  std::string text_;
};

double as_double(std::uint64_t count) { return static_cast<double>(count); }

/// Integrated over total as 0..1, unrounded; 0 when there is nothing to cover.
double ratio(const core::Tally& tally) {
  return tally.total == 0 ? 0.0 : as_double(tally.integrated) / as_double(tally.total);
}

double difference(std::uint64_t whole, std::uint64_t part) {
  return whole > part ? as_double(whole - part) : 0.0;
}

/// Parse exactly `digits` decimal digits at `text[at]`.
std::optional<int> digits_at(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return std::nullopt;
  int value = 0;
  const char* first = text.data() + at;
  const auto [end, error] = std::from_chars(first, first + digits, value);
  if (error != std::errc{} || end != first + digits) return std::nullopt;
  return value;
}

std::optional<double> cycle_seconds(const engine::CycleReport& cycle) {
  const auto start = unix_seconds(cycle.started_at);
  const auto end = unix_seconds(cycle.finished_at);
  if (!start || !end || *end < *start) return std::nullopt;
  return *end - *start;
}

double epoch_seconds(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  return static_cast<double>(duration_cast<milliseconds>(when.time_since_epoch()).count()) / 1000.0;
}

}  // namespace

void MetricsTotals::add(const engine::CycleReport& report) {
  // report.rejected lists the services parked earlier (the plan's) and those
  // refused in this cycle; report.failed counts both failures and refusals.
  const std::uint64_t parked_before = report.plan ? report.plan->parked.size() : 0;
  const std::uint64_t rejected_now =
      report.rejected.size() > parked_before ? report.rejected.size() - parked_before : 0;
  pushes_done += report.pushed;
  pushes_rejected += rejected_now;
  pushes_failed += report.failed > rejected_now ? report.failed - rejected_now : 0;
  push_requests += report.sends;
  switch (report.result) {
    case state::CycleResult::ok:
      ++cycles_ok;
      break;
    case state::CycleResult::partial:
      ++cycles_partial;
      break;
    case state::CycleResult::failed:
      ++cycles_failed;
      break;
  }
}

std::optional<double> unix_seconds(std::string_view text) {
  // 2024-10-28T02:15:00.250Z
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  const auto year = digits_at(text, 0, 4);
  const auto month = digits_at(text, 5, 2);
  const auto day = digits_at(text, 8, 2);
  const auto hour = digits_at(text, 11, 2);
  const auto minute = digits_at(text, 14, 2);
  const auto second = digits_at(text, 17, 2);
  const auto milli = digits_at(text, 20, 3);
  if (!year || !month || !day || !hour || !minute || !second || !milli) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{*year}, std::chrono::month(*month),
                            std::chrono::day(*day)};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const auto when =
      sys_days{date} + hours{*hour} + minutes{*minute} + seconds{*second} + milliseconds{*milli};
  return static_cast<double>(when.time_since_epoch().count()) / 1000.0;
}

std::string metrics_text(const MetricsView& view) {
  const StatusView& status = view.status;
  Exposition out(status.province);

  std::vector<Sample> states;
  for (const DaemonState state : {DaemonState::idle, DaemonState::syncing, DaemonState::backoff,
                                  DaemonState::paused, DaemonState::error}) {
    states.push_back({"state", to_string(state), state == status.state ? 1.0 : 0.0});
  }
  out.family("portal_sync_state", "gauge",
             "The daemon's state: 1 for the current one (idle, syncing, backoff, paused, error).",
             states);

  if (status.coverage) {
    const core::Coverage& coverage = *status.coverage;
    out.gauge("portal_sync_coverage_ratio",
              "Active catalogue services integrated with the national portal (0..1).",
              ratio(coverage.overall));
    out.family(
        "portal_sync_level_coverage_ratio", "gauge",
        "Active catalogue services of one level integrated with the national portal "
        "(0..1).",
        {{"level", "full", ratio(coverage.full)}, {"level", "partial", ratio(coverage.partial)}});
    const core::Tally& all = coverage.overall;
    out.family("portal_sync_services", "gauge",
               "Services by state: in_sync, outdated and missing split the active catalogue "
               "services; orphaned are on the portal only.",
               {{"state", "in_sync", as_double(all.in_sync)},
                {"state", "outdated", difference(all.integrated, all.in_sync)},
                {"state", "missing", difference(all.total, all.integrated)},
                {"state", "orphaned", as_double(coverage.orphaned)}});
  }

  if (status.last_planned) {
    const engine::QueueCounts& queue = status.last_planned->queue;
    out.family("portal_sync_queue", "gauge",
               "Work waiting: pending writes (retrying ones included), rejected services "
               "parked, invalid catalogue records.",
               {{"state", "pending", as_double(queue.pending)},
                {"state", "retrying", as_double(queue.retrying)},
                {"state", "rejected", as_double(queue.rejected)},
                {"state", "invalid", as_double(queue.invalid)}});
  }

  const MetricsTotals& totals = view.totals;
  out.family("portal_sync_pushes_total", "counter",
             "Writes to the national portal by outcome, since the daemon started.",
             {{"result", "done", as_double(totals.pushes_done)},
              {"result", "rejected", as_double(totals.pushes_rejected)},
              {"result", "failed", as_double(totals.pushes_failed)}});
  out.family("portal_sync_push_requests_total", "counter",
             "Write requests sent to the national portal, retries included, since the daemon "
             "started.",
             {{.value = as_double(totals.push_requests)}});
  out.family("portal_sync_cycles_total", "counter",
             "Sync cycles by result, since the daemon started.",
             {{"result", "ok", as_double(totals.cycles_ok)},
              {"result", "partial", as_double(totals.cycles_partial)},
              {"result", "failed", as_double(totals.cycles_failed)}});

  if (status.last_cycle) {
    if (const auto seconds = cycle_seconds(*status.last_cycle)) {
      out.gauge("portal_sync_cycle_duration_seconds", "How long the last sync cycle took.",
                *seconds);
    }
  }
  // Always present, 0 for "never": a province whose cycles never end ok (a
  // parked reject) must still have the series its alert watches.
  const auto time_or_zero = [](const std::optional<std::string>& when) {
    const auto seconds = when ? unix_seconds(*when) : std::nullopt;
    return seconds.value_or(0.0);
  };
  out.gauge("portal_sync_last_success_timestamp_seconds",
            "When the last cycle whose result was ok finished (Unix time); 0 before the first.",
            time_or_zero(status.last_success_at));
  out.gauge("portal_sync_last_cycle_timestamp_seconds",
            "When the last cycle finished, whatever its result (Unix time); 0 before the first.",
            time_or_zero(status.last_cycle_at));
  out.gauge("portal_sync_start_time_seconds", "When the daemon started (Unix time).",
            epoch_seconds(view.started_at));
  out.gauge("portal_sync_poll_interval_seconds",
            "The configured time between two cycles (poll_interval).",
            static_cast<double>(view.poll_interval.count()) / 1000.0);
  return out.take();
}

}  // namespace psd::runtime
