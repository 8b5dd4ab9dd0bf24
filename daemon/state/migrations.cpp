#include "daemon/state/migrations.hpp"

#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"

namespace psd::state {
namespace {

// Enumerations are stored as the contract's words so that an operator can read
// the file with the sqlite3 shell.
constexpr std::string_view kSchema1 = R"sql(
CREATE TABLE snapshot (
  id       INTEGER PRIMARY KEY CHECK (id = 1),  -- only the last complete listing is kept
  version  TEXT NOT NULL,
  etag     TEXT NOT NULL,
  saved_at TEXT NOT NULL
);
CREATE TABLE snapshot_service (
  snapshot_id     INTEGER NOT NULL REFERENCES snapshot (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,  -- order in the listing
  code            TEXT NOT NULL,
  name            TEXT NOT NULL,
  level           TEXT NOT NULL CHECK (level IN ('full', 'partial')),
  agency_code     TEXT NOT NULL,
  agency_name     TEXT NOT NULL,
  field           TEXT NOT NULL,
  admin_level     TEXT NOT NULL CHECK (admin_level IN ('province', 'district', 'commune')),
  fee_vnd         INTEGER NOT NULL CHECK (fee_vnd >= 0),
  processing_days INTEGER NOT NULL CHECK (processing_days >= 0),
  status          TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
  updated_at      TEXT NOT NULL,
  content_hash    TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, position)
);
CREATE TABLE snapshot_invalid (
  snapshot_id   INTEGER NOT NULL REFERENCES snapshot (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,  -- order in the listing
  code          TEXT NOT NULL,
  reason        TEXT NOT NULL,
  counts_active INTEGER NOT NULL CHECK (counts_active IN (0, 1)),
  level         TEXT CHECK (level IN ('full', 'partial')),  -- NULL when unreadable
  agency_code   TEXT NOT NULL,
  page          INTEGER NOT NULL,
  page_index    INTEGER NOT NULL,
  PRIMARY KEY (snapshot_id, position)
);
CREATE TABLE sync_status (
  code        TEXT PRIMARY KEY,
  pushed_hash TEXT NOT NULL,
  result      TEXT NOT NULL CHECK (result IN ('ok', 'rejected', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error  TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL
);
CREATE INDEX sync_status_by_result ON sync_status (result);
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an outcome names one op
  kind            TEXT NOT NULL CHECK (kind IN ('put', 'remove')),
  code            TEXT NOT NULL UNIQUE,               -- one pending write per service
  content_hash    TEXT NOT NULL,                      -- empty for remove
  idempotency_key TEXT NOT NULL UNIQUE,
  body            TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL
);
CREATE TABLE cycles (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at  TEXT NOT NULL,
  finished_at TEXT,  -- NULL while running, and forever if the daemon died meanwhile
  result      TEXT CHECK (result IN ('ok', 'partial', 'failed')),
  pushed      INTEGER NOT NULL DEFAULT 0 CHECK (pushed >= 0),
  failed      INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
  error       TEXT NOT NULL DEFAULT '',
  total       INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
  integrated  INTEGER NOT NULL DEFAULT 0 CHECK (integrated >= 0),
  in_sync     INTEGER NOT NULL DEFAULT 0 CHECK (in_sync >= 0),
  percent     REAL NOT NULL DEFAULT 0
);
CREATE INDEX cycles_by_result ON cycles (result);
)sql";

// The snapshot's services keyed by code, so that a cycle writes only the rows
// that changed; the active size kept beside the ETag, so that a cycle learns
// both without reading the services.
constexpr std::string_view kSnapshotByCode = R"sql(
CREATE TABLE snapshot_service_by_code (
  code            TEXT PRIMARY KEY,
  position        INTEGER NOT NULL,  -- its place in the listing that last wrote the row
  name            TEXT NOT NULL,
  level           TEXT NOT NULL CHECK (level IN ('full', 'partial')),
  agency_code     TEXT NOT NULL,
  agency_name     TEXT NOT NULL,
  field           TEXT NOT NULL,
  admin_level     TEXT NOT NULL CHECK (admin_level IN ('province', 'district', 'commune')),
  fee_vnd         INTEGER NOT NULL CHECK (fee_vnd >= 0),
  processing_days INTEGER NOT NULL CHECK (processing_days >= 0),
  status          TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
  updated_at      TEXT NOT NULL,
  content_hash    TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR REPLACE INTO snapshot_service_by_code
  SELECT code, position, name, level, agency_code, agency_name, field, admin_level, fee_vnd,
         processing_days, status, updated_at, content_hash
  FROM snapshot_service ORDER BY position;
DROP TABLE snapshot_service;
ALTER TABLE snapshot_service_by_code RENAME TO snapshot_service;
ALTER TABLE snapshot ADD COLUMN active_count INTEGER NOT NULL DEFAULT 0 CHECK (active_count >= 0);
UPDATE snapshot SET active_count =
  (SELECT count(*) FROM snapshot_service WHERE status = 'active') +
  (SELECT count(*) FROM snapshot_invalid WHERE counts_active = 1);
)sql";

// What a cycle that ended with everything in sync leaves for the next one:
// when the catalogue answers 304 and the listing's digest is the one the
// cycle left, the next cycle has nothing to plan and the same coverage.
constexpr std::string_view kSettled = R"sql(
CREATE TABLE settled (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  etag          TEXT NOT NULL,     -- the catalogue snapshot it was reached from
  withdraw      TEXT NOT NULL CHECK (withdraw IN ('keep_orphans', 'withdraw_orphans')),
  mirror_digest TEXT NOT NULL,     -- core::MirrorDigest of the listing after the writes
  listed        INTEGER NOT NULL CHECK (listed >= 0),
  orphaned      INTEGER NOT NULL CHECK (orphaned >= 0)
);
CREATE TABLE settled_tally (
  scope      TEXT NOT NULL CHECK (scope IN ('overall', 'full', 'partial', 'agency')),
  agency     TEXT NOT NULL DEFAULT '',  -- for scope 'agency'
  total      INTEGER NOT NULL CHECK (total >= 0),
  integrated INTEGER NOT NULL CHECK (integrated >= 0),
  in_sync    INTEGER NOT NULL CHECK (in_sync >= 0),
  PRIMARY KEY (scope, agency)
);
)sql";

// For portal-syncctl report, which reads state.db alone (daemon running or
// not): the portal's listing as the last cycle left it, so that coverage can
// be computed again by core::compute_coverage; the admin level of invalid
// records; and per cycle the coverage before its pushes and the level totals.
constexpr std::string_view kReportFigures = R"sql(
CREATE TABLE mirror (
  id        INTEGER PRIMARY KEY CHECK (id = 1),  -- only the last listing is kept
  saved_at  TEXT NOT NULL
);
CREATE TABLE mirror_service (
  code         TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,
  level        TEXT NOT NULL CHECK (level IN ('full', 'partial'))
) WITHOUT ROWID;
ALTER TABLE snapshot_invalid ADD COLUMN
  admin_level TEXT CHECK (admin_level IN ('province', 'district', 'commune'));  -- NULL when unreadable
ALTER TABLE cycles ADD COLUMN has_coverage INTEGER NOT NULL DEFAULT 0 CHECK (has_coverage IN (0, 1));
ALTER TABLE cycles ADD COLUMN full_total INTEGER NOT NULL DEFAULT 0 CHECK (full_total >= 0);
ALTER TABLE cycles ADD COLUMN partial_total INTEGER NOT NULL DEFAULT 0 CHECK (partial_total >= 0);
ALTER TABLE cycles ADD COLUMN integrated_before INTEGER NOT NULL DEFAULT 0 CHECK (integrated_before >= 0);
ALTER TABLE cycles ADD COLUMN in_sync_before INTEGER NOT NULL DEFAULT 0 CHECK (in_sync_before >= 0);
-- Older rows: a cycle that counted anything had coverage; before it is unknown.
UPDATE cycles SET has_coverage = 1, integrated_before = integrated, in_sync_before = in_sync
  WHERE total > 0;
)sql";

// The end of a portal-wide Retry-After window, so that a restart inside it
// sends that portal nothing before it ends (one row per portal while closed).
constexpr std::string_view kRetryAfterWindows = R"sql(
CREATE TABLE retry_after (
  portal TEXT PRIMARY KEY CHECK (portal IN ('national', 'provincial')),
  until  TEXT NOT NULL  -- RFC 3339 UTC
);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "snapshot, sync_status, outbox, cycles", kSchema1},
    Migration{2, "snapshot services keyed by code; the snapshot's active size", kSnapshotByCode},
    Migration{3, "the settled state a 304 cycle may reuse", kSettled},
    Migration{4, "mirror, invalid admin_level, cycle coverage before and per level",
              kReportFigures},
    Migration{5, "retry_after: Retry-After windows kept across restarts", kRetryAfterWindows},
};

static_assert(kMigrations.back().version == StateStore::kSchemaVersion,
              "the last migration must bring the schema to StateStore::kSchemaVersion");

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int user_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

void refuse_newer(SQLite::Database& db, const std::filesystem::path& path) {
  const int version = user_version(db);
  if (version > StateStore::kSchemaVersion) {
    detail::fail(path, "open",
                 "state.db schema " + std::to_string(version) +
                     " is newer than this portal-syncd (" +
                     std::to_string(StateStore::kSchemaVersion) +
                     "): upgrade portal-syncd or restore a backup");
  }
}

int migrate(SQLite::Database& db, const std::filesystem::path& path) {
  for (const Migration& migration : kMigrations) {
    // IMMEDIATE takes the write lock first, so two processes opening the same
    // file cannot both apply a migration: the second sees the new version.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Again under the write lock: another process may have migrated meanwhile.
    refuse_newer(db, path);
    if (user_version(db) >= migration.version) {
      continue;  // the transaction rolls back, having changed nothing
    }
    db.exec(std::string(migration.sql));
    db.exec("PRAGMA user_version = " + std::to_string(migration.version));
    transaction.commit();
  }
  return user_version(db);
}

}  // namespace psd::state
