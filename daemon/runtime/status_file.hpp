#pragma once
// The status file monitoring reads (contract section 5), schema version 1.

#include <cstdint>
#include <optional>
#include <string>

#include "daemon/core/coverage.hpp"
#include "daemon/engine/cycle.hpp"

namespace psd::runtime {

/// Invalid and rejected services listed by name in the status file; the
/// counts in `queue` stay exact beyond it.
inline constexpr std::size_t kMaxListedRecords = 200;

enum class DaemonState { idle, syncing, backoff, paused, error };

std::string_view to_string(DaemonState state);

/// Pushes of the running cycle: done of total (total is 0 before the plan).
struct CycleProgress {
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  std::string started_at{};  ///< when the running cycle started
};

struct StatusView {
  std::string province;
  DaemonState state = DaemonState::idle;
  std::string updated_at;
  std::optional<core::Coverage> coverage;           ///< from the last cycle that computed one
  const engine::CycleReport* last_cycle = nullptr;  ///< the latest cycle, whatever its result
  /// The latest cycle that got as far as a plan: queue, invalid and rejected
  /// come from it, so a failed listing does not blank them.
  const engine::CycleReport* last_planned = nullptr;
  std::optional<std::string> last_success_at;
  /// Set while a cycle runs; written as "progress" (null between cycles), a
  /// field beyond the contract's minimum.
  std::optional<CycleProgress> progress;
  /// When the last cycle finished, whatever its result (this process's or
  /// the history's): the metrics file's last cycle time.
  std::optional<std::string> last_cycle_at;
};

/// Return the status file's JSON for `view`.
std::string status_json(const StatusView& view);

}  // namespace psd::runtime
