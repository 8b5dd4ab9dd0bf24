// Opening state.db; the other members live in snapshot_store.cpp, outbox_store.cpp,
// sync_status_store.cpp and history_store.cpp.
#include "daemon/state/state_store.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <system_error>

#include "daemon/core/enum_names.hpp"
#include "daemon/state/migrations.hpp"
#include "daemon/state/store_detail.hpp"

namespace psd::state {
namespace {

constexpr auto kCycleResultNames = core::enum_names<CycleResult::failed>("ok", "partial", "failed");

// How long a statement waits for another process's lock (e.g. an operator's
// sqlite3 shell) before failing.
constexpr std::chrono::milliseconds kBusyTimeout{5000};

// Create `dir` and its parents if missing. A new state dir is made with mode
// 0700 (so it is never more open than that, even for a moment), then set to
// exactly 0700 in case the umask took owner bits away.
void ensure_dir(const std::filesystem::path& dir) {
  std::error_code error;
  if (std::filesystem::is_directory(dir, error)) {
    return;
  }
  if (dir.has_parent_path()) {
    std::filesystem::create_directories(dir.parent_path(), error);
    if (error) {
      detail::fail(dir / detail::kFileName, "create state directory", error.message());
    }
  }
  if (::mkdir(dir.c_str(), S_IRWXU) == 0) {
    ::chmod(dir.c_str(), S_IRWXU);
  } else if (errno != EEXIST) {
    detail::fail(dir / detail::kFileName, "create state directory", std::strerror(errno));
  }
}

SQLite::Database open_database(const std::filesystem::path& state_dir) {
  ensure_dir(state_dir);
  const std::filesystem::path path = state_dir / detail::kFileName;
  return detail::guarded(path, "open", [&] {
    return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                            static_cast<int>(kBusyTimeout.count()));
  });
}

void configure(SQLite::Database& db, const std::filesystem::path& path) {
  db.exec("PRAGMA foreign_keys = ON");
  // FULL syncs the WAL on every commit. NORMAL would be faster, but a commit
  // could then be lost on power failure after the request it recorded was
  // sent, and the restart would resend that push with a fresh key.
  db.exec("PRAGMA synchronous = FULL");
  const std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal") {
    detail::fail(path, "open", "cannot switch to WAL journal mode (got '" + mode + "')");
  }
}

}  // namespace

StateStore::StateStore(const std::filesystem::path& state_dir)
    : path_(state_dir / detail::kFileName), db_(open_database(state_dir)) {
  detail::guarded(path_, "open", [&] {
    refuse_newer(db_, path_);  // before WAL or any other change to the file
    configure(db_, path_);
    migrate(db_, path_);
  });
}

int StateStore::schema_version() const {
  return locked("read schema version", [&] { return user_version(db_); });
}

std::filesystem::path StateStore::path() const { return path_; }

std::string_view to_string(CycleResult result) { return kCycleResultNames(result); }

std::optional<CycleResult> parse_cycle_result(std::string_view text) {
  return kCycleResultNames.parse(text);
}

}  // namespace psd::state
