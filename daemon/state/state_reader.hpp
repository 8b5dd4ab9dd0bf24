#pragma once
// A read-only view of state.db for tools beside the daemon (portal-syncctl
// report): opened with SQLITE_OPEN_READONLY, so it never writes, migrates or
// checkpoints; in WAL mode its reads neither block nor are blocked by the
// running daemon's writes.

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "daemon/core/plan.hpp"
#include "daemon/core/service.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::state {

/// Everything state.db holds that a report needs, read in one transaction
/// (one consistent moment even while the daemon writes).
struct StoredState {
  std::optional<core::Snapshot> snapshot;  ///< the last complete catalogue listing
  std::optional<std::string> snapshot_saved_at;
  std::optional<core::Mirror> mirror;  ///< the national listing after the last cycle's pushes
  std::optional<std::string> mirror_saved_at;
  core::ParkedIndex parked;         ///< rejected pushes, with the portal's reason
  std::vector<CycleRecord> cycles;  ///< finished cycles, oldest first
};

class StateReader {
 public:
  /// Open `state_dir`/state.db read-only. Throw std::runtime_error naming the
  /// file when it is missing, unreadable, or at a schema other than
  /// StateStore::kSchemaVersion (an older one is upgraded by starting
  /// portal-syncd once).
  explicit StateReader(const std::filesystem::path& state_dir);

  /// Read everything in one read transaction. Throw std::runtime_error
  /// naming the file on an SQLite error.
  StoredState read() const;

  std::filesystem::path path() const { return path_; }

 private:
  std::filesystem::path path_;
  mutable SQLite::Database db_;
};

}  // namespace psd::state
