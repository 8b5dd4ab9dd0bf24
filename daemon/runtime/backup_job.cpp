#include "daemon/runtime/backup_job.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace psd::runtime {
namespace {

constexpr std::string_view kScratchPrefix = "state.db.backup-";

// A private scratch file next to state.db: mkstemp makes it 0600, and empty,
// as VACUUM INTO requires. One left by a daemon that died mid-backup goes
// first: this daemon runs one backup at a time.
std::filesystem::path make_scratch(const std::filesystem::path& dir) {
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
    if (entry.path().filename().string().starts_with(kScratchPrefix)) {
      std::filesystem::remove(entry.path(), ignored);
    }
  }
  std::string pattern = (dir / (std::string(kScratchPrefix) + "XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    throw std::runtime_error("backup: cannot create a scratch file in " + dir.string() + ": " +
                             std::strerror(errno));
  }
  ::close(fd);
  return pattern;
}

BackupOutcome run_backup(const std::filesystem::path& database,
                         const std::filesystem::path& scratch_dir, int out_fd) {
  BackupOutcome outcome;
  std::filesystem::path scratch;
  try {
    scratch = make_scratch(scratch_dir);
    outcome.info = state::snapshot_database(database, scratch);
    state::copy_to_descriptor(scratch, out_fd);
  } catch (const std::exception& error) {
    outcome.error = error.what();
  }
  std::error_code ignored;
  if (!scratch.empty()) std::filesystem::remove(scratch, ignored);
  ::close(out_fd);
  return outcome;
}

}  // namespace

BackupJob::BackupJob(std::function<void()> wake) : wake_(std::move(wake)) {}

BackupJob::~BackupJob() {
  if (thread_.joinable()) thread_.join();
}

void BackupJob::start(std::filesystem::path database, std::filesystem::path scratch_dir, int out_fd,
                      control::ClientId client, std::int64_t id) {
  if (thread_.joinable()) thread_.join();  // the last one has finished: busy_ was false
  busy_ = true;
  thread_ = std::jthread([this, database = std::move(database),
                          scratch_dir = std::move(scratch_dir), out_fd, client, id] {
    BackupOutcome outcome = run_backup(database, scratch_dir, out_fd);
    outcome.client = client;
    outcome.id = id;
    {
      std::lock_guard lock(mutex_);
      finished_ = std::move(outcome);
    }
    wake_();
  });
}

std::optional<BackupOutcome> BackupJob::take_finished() {
  std::lock_guard lock(mutex_);
  auto outcome = std::exchange(finished_, std::nullopt);
  if (outcome) busy_ = false;
  return outcome;
}

}  // namespace psd::runtime
