// StateStore: every value keeps the SQL type it is written with, whichever
// statement writes it: integers as INTEGER, text as TEXT, the percentage as
// REAL, an unreadable level as NULL.
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "daemon/state/state_store.hpp"
#include "tests/unit/state/state_fixture.hpp"

namespace psd::state {
namespace {

using testing::put_op;
using testing::small_snapshot;
using testing::StateTest;

std::string type_of(const SQLite::Column& column) {
  if (column.isInteger()) return "integer";
  if (column.isFloat()) return "real";
  if (column.isText()) return "text";
  if (column.isBlob()) return "blob";
  return "null";
}

/// Return one line "table.column: types" per column of each table of `db`,
/// with the storage classes its rows hold, sorted.
std::string stored_types(SQLite::Database& db) {
  std::map<std::string, std::set<std::string>> types;
  SQLite::Statement tables(db,
                           "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND name NOT LIKE 'sqlite%'");
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\"");
    while (rows.executeStep()) {
      for (int i = 0; i < rows.getColumnCount(); ++i) {
        types[table + "." + rows.getColumnName(i)].insert(type_of(rows.getColumn(i)));
      }
    }
  }
  std::string text;
  for (const auto& [column, classes] : types) {
    text += column + ":";
    for (const std::string& name : classes) text += " " + name;
    text += "\n";
  }
  return text;
}

/// Write a row through every statement that writes one.
void write_everything(StateStore& store) {
  core::Snapshot snapshot = small_snapshot();  // its invalid record has no level
  core::InvalidRecord no_admin_level = snapshot.invalid.back();
  no_admin_level.level = core::Level::full;
  no_admin_level.admin_level.reset();
  snapshot.invalid.push_back(no_admin_level);
  store.save_snapshot(snapshot);
  store.save_mirror(core::Mirror{{"A", core::MirrorEntry{"sha256:aa", core::Level::partial}}});
  store.record_mirror_writes({{"B", core::MirrorEntry{"sha256:bb", core::Level::full}}});

  core::Coverage coverage;
  coverage.overall = {.total = 2, .integrated = 1, .in_sync = 1};
  coverage.by_agency["G.1"] = {.total = 1, .integrated = 1, .in_sync = 0};
  coverage.orphaned = 1;
  store.save_settled(Settled{.etag = "\"e1\"",
                             .withdraw = "keep_orphans",
                             .mirror_digest = "sha256:dd",
                             .listed = 3,
                             .coverage = coverage});

  const auto ops = store.enqueue({put_op("A", "sha256:a", "k1"), put_op("B", "sha256:b", "k2"),
                                  put_op("C", "sha256:c", "k3")});
  store.record_outcomes({{.op_id = ops[0].id, .kind = OutcomeKind::done, .sends = 1},
                         {.op_id = ops[1].id,
                          .kind = OutcomeKind::rejected,
                          .http_status = 422,
                          .reason = "E1 bad",
                          .sends = 1},
                         {.op_id = ops[2].id,
                          .kind = OutcomeKind::failed,
                          .http_status = 503,
                          .reason = "busy",
                          .sends = 2}});

  store.finish_cycle({.id = store.begin_cycle("2024-10-28T02:15:00.000Z"),
                      .started_at = "",  // finish_cycle keeps begin_cycle's
                      .finished_at = "2024-10-28T02:16:00.000Z",
                      .result = CycleResult::partial,
                      .pushed = 1,
                      .failed = 1,
                      .error = "busy",
                      .total = 2,
                      .integrated = 1,
                      .in_sync = 1,
                      .percent = 50.0,
                      .has_coverage = true,
                      .full_total = 1,
                      .partial_total = 1});

  store.keep_retry_after(Portal::national,
                         std::chrono::system_clock::now() + std::chrono::hours(1));
}

TEST_F(StateTest, EveryValueIsStoredWithItsSqlType) {
  {
    StateStore store(state_dir());
    write_everything(store);
  }
  auto db = raw(SQLite::OPEN_READONLY);
  // The whole list, so that a column gained or lost shows here too.
  EXPECT_EQ(stored_types(db), R"(cycles.error: text
cycles.failed: integer
cycles.finished_at: text
cycles.full_total: integer
cycles.has_coverage: integer
cycles.id: integer
cycles.in_sync: integer
cycles.in_sync_before: integer
cycles.integrated: integer
cycles.integrated_before: integer
cycles.partial_total: integer
cycles.percent: real
cycles.pushed: integer
cycles.result: text
cycles.started_at: text
cycles.total: integer
mirror.id: integer
mirror.saved_at: text
mirror_service.code: text
mirror_service.content_hash: text
mirror_service.level: text
outbox.attempts: integer
outbox.body: text
outbox.code: text
outbox.content_hash: text
outbox.created_at: text
outbox.id: integer
outbox.idempotency_key: text
outbox.kind: text
outbox.last_error: text
retry_after.portal: text
retry_after.until: text
settled.etag: text
settled.id: integer
settled.listed: integer
settled.mirror_digest: text
settled.orphaned: integer
settled.withdraw: text
settled_tally.agency: text
settled_tally.in_sync: integer
settled_tally.integrated: integer
settled_tally.scope: text
settled_tally.total: integer
snapshot.active_count: integer
snapshot.etag: text
snapshot.id: integer
snapshot.saved_at: text
snapshot.version: text
snapshot_invalid.admin_level: null text
snapshot_invalid.agency_code: text
snapshot_invalid.code: text
snapshot_invalid.counts_active: integer
snapshot_invalid.level: null text
snapshot_invalid.page: integer
snapshot_invalid.page_index: integer
snapshot_invalid.position: integer
snapshot_invalid.reason: text
snapshot_invalid.snapshot_id: integer
snapshot_service.admin_level: text
snapshot_service.agency_code: text
snapshot_service.agency_name: text
snapshot_service.code: text
snapshot_service.content_hash: text
snapshot_service.fee_vnd: integer
snapshot_service.field: text
snapshot_service.level: text
snapshot_service.name: text
snapshot_service.position: integer
snapshot_service.processing_days: integer
snapshot_service.status: text
snapshot_service.updated_at: text
sync_status.attempts: integer
sync_status.code: text
sync_status.last_error: text
sync_status.pushed_hash: text
sync_status.result: text
sync_status.updated_at: text
)");
}

}  // namespace
}  // namespace psd::state
