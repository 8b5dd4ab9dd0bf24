#pragma once
// A consistent copy of state.db while other connections write to it: what
// `portal-syncctl backup` makes, in the daemon or, when it is stopped, in
// portal-syncctl itself. Depends on SQLite only, so portal-syncctl can link it.

#include <cstdint>
#include <filesystem>

namespace psd::state {

struct BackupInfo {
  int schema_version = 0;  ///< the copy's PRAGMA user_version
  std::uint64_t bytes = 0;
};

/// Copy the database at `source` into `dest`, a missing or empty file, with
/// VACUUM INTO: one read transaction, so the copy is the state of one commit
/// even while another process writes. The copy is switched to a rollback
/// journal (one self-contained file; portal-syncd turns WAL on again when it
/// opens it) and must pass PRAGMA integrity_check. Never creates or migrates
/// `source`. Throw std::runtime_error naming the file at fault.
BackupInfo snapshot_database(const std::filesystem::path& source,
                             const std::filesystem::path& dest);

/// Open the copy at `path` read-only and run PRAGMA integrity_check; return
/// what it holds. Throw std::runtime_error naming `path` unless it says "ok".
BackupInfo check_backup(const std::filesystem::path& path);

/// Write the whole of the file at `from` to the open file `to_fd` (from its
/// start, truncating it) and fsync it. Throw std::runtime_error naming `from`.
void copy_to_descriptor(const std::filesystem::path& from, int to_fd);

}  // namespace psd::state
