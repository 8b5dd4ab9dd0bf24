#pragma once
// The control command `backup` runs here, beside the cycle worker, so that a
// backup taken mid-sync neither waits for the cycle nor stalls the event loop.
// It copies state.db with its own SQLite connection (state::snapshot_database)
// into a scratch file in state_dir, then into the file portal-syncctl opened
// and passed: the daemon needs no write access to where the backup goes.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "daemon/control/server.hpp"
#include "daemon/state/backup.hpp"

namespace psd::runtime {

struct BackupOutcome {
  control::ClientId client = 0;
  std::int64_t id = 0;
  std::optional<state::BackupInfo> info;  ///< set on success
  std::string error;                      ///< set on failure
};

class BackupJob {
 public:
  /// `wake` is called (on the job's thread) when a backup is finished.
  explicit BackupJob(std::function<void()> wake);
  /// Waits for a backup that is running.
  ~BackupJob();
  BackupJob(const BackupJob&) = delete;
  BackupJob& operator=(const BackupJob&) = delete;

  /// True from start() until its outcome is taken.
  bool busy() const { return busy_; }
  /// Copy `database` into `out_fd` (which this then owns and closes), using a
  /// scratch file in `scratch_dir`; the answer goes to `client`'s request `id`.
  void start(std::filesystem::path database, std::filesystem::path scratch_dir, int out_fd,
             control::ClientId client, std::int64_t id);
  /// The finished backup's outcome, once.
  std::optional<BackupOutcome> take_finished();

 private:
  std::function<void()> wake_;
  std::atomic<bool> busy_{false};
  std::mutex mutex_;
  std::optional<BackupOutcome> finished_;
  std::jthread thread_;
};

}  // namespace psd::runtime
