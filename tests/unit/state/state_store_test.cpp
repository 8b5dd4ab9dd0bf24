// Opening state.db: directory, pragmas, schema versions, errors, integrity.
#include "daemon/state/state_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>

#include "daemon/core/rfc3339.hpp"
#include "daemon/state/migrations.hpp"
#include "daemon/state/utc_time.hpp"
#include "tests/unit/state/state_fixture.hpp"

namespace psd::state {
namespace {

using ::testing::HasSubstr;
using testing::put_op;
using testing::StateTest;

// Return the message of the std::runtime_error that `body` throws, or "" if none.
template <typename Body>
std::string runtime_error_of(Body body) {
  try {
    body();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST_F(StateTest, CreatesMissingStateDirOwnerOnly) {
  const StateStore store(state_dir());
  EXPECT_EQ(store.path(), db_path());
  EXPECT_TRUE(std::filesystem::is_regular_file(db_path()));
  struct stat info {};
  ASSERT_EQ(::stat(state_dir().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
}

TEST_F(StateTest, NewFileIsAtTheNewestSchemaVersion) {
  const StateStore store(state_dir());
  EXPECT_EQ(store.schema_version(), StateStore::kSchemaVersion);
  auto db = raw(SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), StateStore::kSchemaVersion);
  for (const char* table :
       {"snapshot", "snapshot_service", "snapshot_invalid", "sync_status", "outbox", "cycles"}) {
    EXPECT_TRUE(db.tableExists(table)) << table;
  }
}

TEST_F(StateTest, MigrationsAreNumberedOneByOneUpToTheSchemaVersion) {
  const auto list = migrations();
  ASSERT_FALSE(list.empty());
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].version, static_cast<int>(i) + 1);
  }
  EXPECT_EQ(list.back().version, StateStore::kSchemaVersion);
}

TEST_F(StateTest, ReopenKeepsVersionAndData) {
  { StateStore(state_dir()).enqueue({put_op("A", "sha256:1", "k1")}); }
  const StateStore store(state_dir());  // re-running migration 1 would throw "already exists"
  EXPECT_EQ(store.schema_version(), StateStore::kSchemaVersion);
  ASSERT_EQ(store.pending_ops().size(), 1u);
  EXPECT_EQ(store.pending_ops()[0].idempotency_key, "k1");
}

TEST_F(StateTest, RefusesFileFromNewerSchemaNamingFileAndVersions) {
  { StateStore store(state_dir()); }
  const int newer = StateStore::kSchemaVersion + 41;
  raw().exec("PRAGMA user_version = " + std::to_string(newer));

  const std::string message = runtime_error_of([&] { StateStore store(state_dir()); });
  EXPECT_THAT(message, HasSubstr(db_path().string()));
  EXPECT_THAT(message, HasSubstr("state.db schema " + std::to_string(newer) +
                                 " is newer than this portal-syncd (" +
                                 std::to_string(StateStore::kSchemaVersion) +
                                 "): upgrade portal-syncd or restore a backup"));
  EXPECT_EQ(raw().execAndGet("PRAGMA user_version").getInt(), newer);
}

TEST_F(StateTest, NewerSchemaIsNotSwitchedToWriteAheadLog) {
  { StateStore store(state_dir()); }
  raw().exec("PRAGMA journal_mode = DELETE");
  raw().exec("PRAGMA user_version = " + std::to_string(StateStore::kSchemaVersion + 1));

  runtime_error_of([&] { StateStore store(state_dir()); });
  EXPECT_EQ(raw().execAndGet("PRAGMA journal_mode").getString(), "delete");
}

TEST_F(StateTest, UsesWriteAheadLog) {
  const StateStore store(state_dir());
  EXPECT_EQ(raw().execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST_F(StateTest, FileThatIsNotADatabaseIsAnErrorNamingIt) {
  std::filesystem::create_directories(state_dir());
  std::ofstream(db_path()) << "this is not an SQLite database, not even its header......";
  const std::string message = runtime_error_of([&] { StateStore store(state_dir()); });
  EXPECT_THAT(message, HasSubstr(db_path().string()));
}

TEST_F(StateTest, SqliteErrorNamesFileAndRollsBackTheBatch) {
  StateStore store(state_dir());
  const std::string message = runtime_error_of([&] {
    store.enqueue({put_op("A", "sha256:1", "same-key"), put_op("B", "sha256:2", "same-key")});
  });
  EXPECT_THAT(message, HasSubstr(db_path().string()));
  EXPECT_THAT(message, HasSubstr("UNIQUE"));
  EXPECT_TRUE(store.pending_ops().empty());  // A was not committed without B
}

TEST_F(StateTest, IntegrityCheckPassesAfterEveryKindOfWrite) {
  {
    StateStore store(state_dir());
    core::Snapshot snapshot;
    snapshot.version = "v1";
    snapshot.services.push_back(testing::entry("A", "Dịch vụ", "sha256:a"));
    snapshot.invalid.emplace_back().code = "B";
    store.save_snapshot(snapshot);
    store.save_snapshot(snapshot);
    const auto ops = store.enqueue({put_op("A", "sha256:a", "k1"), put_op("C", "sha256:c", "k2")});
    store.record_outcomes(
        {{ops[0].id, OutcomeKind::done, 200, ""}, {ops[1].id, OutcomeKind::rejected, 422, "BAD"}});
    CycleRecord cycle;
    cycle.id = store.begin_cycle("2024-01-01T00:00:00.000Z");
    cycle.finished_at = "2024-01-01T00:01:00.000Z";
    store.finish_cycle(cycle);
  }
  auto db = raw(SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  SQLite::Statement foreign_keys(db, "PRAGMA foreign_key_check");
  EXPECT_FALSE(foreign_keys.executeStep());
}

TEST(CycleResultText, IsTheStatusFileWord) {
  EXPECT_EQ(to_string(CycleResult::ok), "ok");
  EXPECT_EQ(to_string(CycleResult::partial), "partial");
  EXPECT_EQ(to_string(CycleResult::failed), "failed");
}

TEST(UtcTime, FormatsRfc3339WithMilliseconds) {
  using namespace std::chrono;
  const sys_days day = 2024y / October / 28;
  EXPECT_EQ(format_utc(day + 2h + 15min + 250ms), "2024-10-28T02:15:00.250Z");
  EXPECT_EQ(format_utc(sys_days{1999y / December / 31} + 23h + 59min + 59s + 999ms),
            "1999-12-31T23:59:59.999Z");
  EXPECT_TRUE(core::is_rfc3339_timestamp(now_utc()));
}

}  // namespace
}  // namespace psd::state
