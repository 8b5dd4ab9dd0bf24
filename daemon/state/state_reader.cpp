#include "daemon/state/state_reader.hpp"

#include <algorithm>
#include <chrono>
#include <system_error>

#include "daemon/state/migrations.hpp"
#include "daemon/state/reads.hpp"
#include "daemon/state/store_detail.hpp"

namespace psd::state {
namespace {

// The daemon holds its write lock for one batch at most; a WAL reader only
// waits for it while the WAL is being recovered or reset.
constexpr std::chrono::milliseconds kBusyTimeout{5000};
// Every row the history keeps (detail::kHistoryRows, and the last ok one).
constexpr int kAllCycles = detail::kHistoryRows + 1;

SQLite::Database open_read_only(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    detail::fail(path, "open read-only",
                 error ? error.message()
                       : "no such file (has portal-syncd run a cycle with this state_dir?)");
  }
  return detail::guarded(path, "open read-only", [&] {
    return SQLite::Database(path, SQLite::OPEN_READONLY, static_cast<int>(kBusyTimeout.count()));
  });
}

}  // namespace

StateReader::StateReader(const std::filesystem::path& state_dir)
    : path_(state_dir / detail::kFileName), db_(open_read_only(path_)) {
  const int version =
      detail::guarded(path_, "read schema version", [&] { return user_version(db_); });
  if (version != StateStore::kSchemaVersion) {
    detail::fail(path_, "open read-only",
                 "schema version " + std::to_string(version) + ", this tool reads version " +
                     std::to_string(StateStore::kSchemaVersion) +
                     (version < StateStore::kSchemaVersion
                          ? " (start portal-syncd of this version once to upgrade the file)"
                          : " (the file comes from a newer portal-syncd)"));
  }
}

StoredState StateReader::read() const {
  return detail::guarded(path_, "read", [&] {
    // One read transaction: the daemon may commit between statements, and a
    // report must not mix the listing of one cycle with the outcomes of the next.
    return detail::in_transaction(db_, SQLite::TransactionBehavior::DEFERRED, [&] {
      StoredState state;
      state.snapshot = detail::read_snapshot(db_, path_);
      state.snapshot_saved_at = detail::read_snapshot_saved_at(db_);
      state.mirror = detail::read_mirror(db_, path_);
      state.mirror_saved_at = detail::read_mirror_saved_at(db_);
      state.parked = detail::read_parked(db_);
      state.cycles = detail::read_history(db_, path_, kAllCycles);
      std::reverse(state.cycles.begin(), state.cycles.end());
      return state;
    });
  });
}

}  // namespace psd::state
