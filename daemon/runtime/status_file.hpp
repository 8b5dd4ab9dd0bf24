#pragma once
// The status file monitoring reads (contract section 5), schema version 1.

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
};

/// Return the status file's JSON for `view`.
std::string status_json(const StatusView& view);

}  // namespace psd::runtime
