#include "daemon/state/backup.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace psd::state {
namespace {

// As the daemon's own connection: wait this long for a writer's lock.
constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error("backup: " + path.string() + ": " + what);
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

BackupInfo snapshot_database(const std::filesystem::path& source,
                             const std::filesystem::path& dest) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(source, error)) {
    fail(source, "no database here (is state_dir right?)");
  }
  try {
    // Read-write without create: a WAL reader needs the -shm index, and a
    // missing file must not become an empty database.
    SQLite::Database db(source, SQLite::OPEN_READWRITE, kBusyTimeoutMs);
    SQLite::Statement vacuum(db, "VACUUM INTO ?");
    vacuum.bind(1, dest.string());
    vacuum.exec();
  } catch (const SQLite::Exception& e) {
    fail(source, std::string("VACUUM INTO ") + dest.string() + ": " + e.what());
  }
  try {
    SQLite::Database copy(dest, SQLite::OPEN_READWRITE);
    copy.exec("PRAGMA journal_mode = DELETE");
  } catch (const SQLite::Exception& e) {
    fail(dest, e.what());
  }
  return check_backup(dest);
}

BackupInfo check_backup(const std::filesystem::path& path) {
  BackupInfo info;
  try {
    SQLite::Database copy(path, SQLite::OPEN_READONLY);
    SQLite::Statement check(copy, "PRAGMA integrity_check");
    std::string verdict;
    while (check.executeStep()) {
      if (!verdict.empty()) verdict += "; ";
      verdict += check.getColumn(0).getString();
    }
    if (verdict != "ok") fail(path, "PRAGMA integrity_check says: " + verdict);
    info.schema_version = copy.execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception& e) {
    fail(path, e.what());
  }
  info.bytes = std::filesystem::file_size(path);
  return info;
}

void copy_to_descriptor(const std::filesystem::path& from, int to_fd) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) fail(from, "open: " + errno_text());
  std::string problem;
  if (::ftruncate(to_fd, 0) != 0 || ::lseek(to_fd, 0, SEEK_SET) != 0) {
    problem = "cannot rewind the file to write: " + errno_text();
  }
  char buffer[1 << 16];
  while (problem.empty()) {
    const ssize_t got = ::read(in, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) problem = "read: " + errno_text();
    if (got <= 0) break;
    for (ssize_t put = 0; put < got && problem.empty();) {
      const ssize_t n = ::write(to_fd, buffer + put, static_cast<std::size_t>(got - put));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) problem = "write to the backup file: " + errno_text();
      put += n > 0 ? n : 0;
    }
  }
  if (problem.empty() && ::fsync(to_fd) != 0) problem = "fsync the backup file: " + errno_text();
  ::close(in);
  if (!problem.empty()) fail(from, problem);
}

}  // namespace psd::state
