#pragma once
// The metrics file (contract section 5): Prometheus text format for
// node_exporter's textfile collector, replaced atomically.
//
// Every sample carries one label, province, so that several instances can
// share a textfile directory. Other labels take values from fixed sets only
// (level, state, result); per-agency coverage stays in the status file,
// because agency codes come from catalogue data and are not bounded.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "daemon/engine/cycle.hpp"
#include "daemon/runtime/status_file.hpp"

namespace psd::runtime {

/// Counters since the process started: monotonic while it runs, back to 0
/// after a restart (which Prometheus's rate() and increase() expect).
struct MetricsTotals {
  std::uint64_t pushes_done = 0;      ///< writes that took effect
  std::uint64_t pushes_rejected = 0;  ///< writes the portal refused (400/422) in that cycle
  std::uint64_t pushes_failed = 0;    ///< writes given up for the cycle (attempts spent, stop)
  std::uint64_t push_requests = 0;    ///< write requests sent, retries included
  std::uint64_t cycles_ok = 0;
  std::uint64_t cycles_partial = 0;
  std::uint64_t cycles_failed = 0;

  /// Add one executed cycle (never a dry run).
  void add(const engine::CycleReport& report);
};

struct MetricsView {
  StatusView status;  ///< the same view the status file is written from
  MetricsTotals totals;
  std::chrono::system_clock::time_point started_at;  ///< when the process started
  std::chrono::milliseconds poll_interval{0};
};

/// Return the metrics file's text for `view`: HELP and TYPE for each family,
/// no timestamps. Coverage families are left out before the first listing
/// (a ratio of nothing is not 0); the last success and last cycle times are
/// always there, 0 before the first.
std::string metrics_text(const MetricsView& view);

/// Return the seconds since the Unix epoch of an RFC 3339 UTC time as
/// state::format_utc writes it ("2024-10-28T02:15:00.250Z"), or nothing when
/// `text` is not of that form.
std::optional<double> unix_seconds(std::string_view text);

}  // namespace psd::runtime
