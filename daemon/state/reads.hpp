#pragma once
// The queries that read state.db, shared by StateStore (the daemon's
// read-write handle) and StateReader (portal-syncctl's read-only one), so
// that both read the same rows the same way. Not part of either interface.

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "daemon/core/plan.hpp"
#include "daemon/core/service.hpp"
#include "daemon/state/state_store.hpp"

namespace psd::state::detail {

/// Return the last complete listing, or nothing before the first one. Call
/// inside a transaction: it runs three queries.
std::optional<core::Snapshot> read_snapshot(SQLite::Database& db,
                                            const std::filesystem::path& path);
/// Return the invalid records of the last complete listing, in listing order.
std::vector<core::InvalidRecord> read_invalid(SQLite::Database& db,
                                              const std::filesystem::path& path);
/// Return when the last complete listing was saved (RFC 3339 UTC), or nothing.
std::optional<std::string> read_snapshot_saved_at(SQLite::Database& db);

/// Return the stored national listing, or nothing before the first one.
std::optional<core::Mirror> read_mirror(SQLite::Database& db, const std::filesystem::path& path);
/// Return when the national listing was saved (RFC 3339 UTC), or nothing.
std::optional<std::string> read_mirror_saved_at(SQLite::Database& db);

/// Return the services whose last push was rejected, with the hash rejected.
core::ParkedIndex read_parked(SQLite::Database& db);

/// Return the finished cycles, newest first, at most `limit` of them.
std::vector<CycleRecord> read_history(SQLite::Database& db, const std::filesystem::path& path,
                                      int limit);

}  // namespace psd::state::detail
