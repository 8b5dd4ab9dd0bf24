#pragma once
// The schema of state.db as an ordered list of migrations, tracked by PRAGMA user_version.

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <span>
#include <string_view>

namespace psd::state {

/// One step of the schema: it brings a database at `version - 1` to `version`.
struct Migration {
  int version = 0;
  std::string_view summary;
  std::string_view sql;
};

/// Return every migration in order; versions run 1, 2, ... up to StateStore::kSchemaVersion.
std::span<const Migration> migrations();

/// Return the schema version of `db` (its PRAGMA user_version).
int user_version(SQLite::Database& db);

/// Throw std::runtime_error naming `path` when `db` comes from a newer schema
/// than this code knows: "state.db schema N is newer than this portal-syncd (M):
/// upgrade portal-syncd or restore a backup". Such a file is never written to.
void refuse_newer(SQLite::Database& db, const std::filesystem::path& path);

/// Bring `db`, the file at `path`, to StateStore::kSchemaVersion, one transaction
/// per migration, and return that version. Throw as refuse_newer does.
int migrate(SQLite::Database& db, const std::filesystem::path& path);

}  // namespace psd::state
