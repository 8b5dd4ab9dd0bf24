// Upgrades: every state.db fixture under tests/data/state-db/ (written by
// the portal-syncd of that schema, see generate.sh there) opens, migrates to
// the current schema, keeps its data and ends up with exactly the schema a
// fresh state.db has.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "tests/unit/state/state_fixture.hpp"

namespace psd::state::testing {
namespace {

namespace fs = std::filesystem;

fs::path fixture(int version) {
  return fs::path(PSD_TEST_DATA_DIR) / "state-db" / ("schema-" + std::to_string(version) + ".db");
}

/// The rows of `sql`, each as its columns joined by '|'.
std::vector<std::string> rows(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement query(db, sql);
  std::vector<std::string> out;
  while (query.executeStep()) {
    std::string row;
    for (int i = 0; i < query.getColumnCount(); ++i) {
      row +=
          (i ? "|" : "") + (query.getColumn(i).isNull() ? "NULL" : query.getColumn(i).getString());
    }
    out.push_back(row);
  }
  return out;
}

/// The schema as SQLite understands it, not as its CREATE text reads (ALTER
/// TABLE and a fresh CREATE spell the same table differently): per table its
/// columns, indexes and foreign keys; every index, trigger and view by name.
std::map<std::string, std::vector<std::string>> schema_of(const fs::path& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  std::map<std::string, std::vector<std::string>> schema;
  for (const auto& row : rows(db,
                              "SELECT type || ' ' || name, tbl_name FROM sqlite_schema"
                              " WHERE name NOT LIKE 'sqlite_%' ORDER BY name")) {
    schema["objects"].push_back(row);
  }
  for (const auto& table : rows(db,
                                "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                " AND name NOT LIKE 'sqlite_%'")) {
    auto& entry = schema["table " + table];
    for (auto& column : rows(db, "PRAGMA table_xinfo(" + table + ")")) entry.push_back(column);
    for (auto& key : rows(db, "PRAGMA foreign_key_list(" + table + ")")) entry.push_back(key);
    for (auto& index :
         rows(db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list('" + table +
                      "') ORDER BY name")) {
      entry.push_back("index " + index);
      const std::string name = index.substr(0, index.find('|'));
      for (auto& column : rows(db, "PRAGMA index_xinfo(" + name + ")")) entry.push_back(column);
    }
    // A CHECK constraint shows only in the CREATE text.
    const auto sql = rows(db, "SELECT sql FROM sqlite_schema WHERE name = '" + table + "'");
    std::string checks;
    for (std::size_t at = sql.front().find("CHECK"); at != std::string::npos;
         at = sql.front().find("CHECK", at + 1)) {
      checks += sql.front().substr(at, sql.front().find(')', at) - at) + ";";
    }
    entry.push_back("checks " + checks);
  }
  return schema;
}

std::int64_t count(const fs::path& path, const std::string& table) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

TEST(SchemaFixtures, EveryEarlierSchemaHasOne) {
  for (int version = 1; version < StateStore::kSchemaVersion; ++version) {
    EXPECT_TRUE(fs::exists(fixture(version)))
        << "no state.db written by schema " << version << ": run tests/data/state-db/generate.sh "
        << version << " (it builds that version's portal-syncd from git history)";
  }
}

class SchemaUpgrade : public StateTest, public ::testing::WithParamInterface<int> {};

TEST_P(SchemaUpgrade, FixtureOpensMigratesKeepsItsDataAndMatchesAFreshSchema) {
  const int version = GetParam();
  if (!fs::exists(fixture(version))) GTEST_SKIP() << "no fixture " << fixture(version);
  if (version > StateStore::kSchemaVersion) GTEST_SKIP() << "a fixture of a later schema";
  fs::create_directories(state_dir());
  fs::copy_file(fixture(version), db_path());
  {
    SQLite::Database old(db_path(), SQLite::OPEN_READONLY);
    ASSERT_EQ(old.execAndGet("PRAGMA user_version").getInt(), version)
        << fixture(version) << " is not the schema its name says";
  }
  // What the migrations must carry over: the outbox (its Idempotency-Keys),
  // the sync results and the history.
  const auto outbox = count(db_path(), "outbox");
  const auto sync_status = count(db_path(), "sync_status");
  const auto cycles = count(db_path(), "cycles");
  ASSERT_GT(outbox + sync_status + cycles, 0) << "an empty fixture proves nothing";

  {
    StateStore store(state_dir());
    EXPECT_EQ(store.schema_version(), StateStore::kSchemaVersion);
    EXPECT_EQ(static_cast<std::int64_t>(store.pending_ops().size()), outbox);
    EXPECT_TRUE(store.load_snapshot().has_value()) << "the fixture's last listing survives";
    EXPECT_FALSE(store.history(1000).empty());
  }
  EXPECT_EQ(count(db_path(), "outbox"), outbox);
  EXPECT_EQ(count(db_path(), "sync_status"), sync_status);
  EXPECT_EQ(count(db_path(), "cycles"), cycles);
  {
    SQLite::Database db(db_path(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_TRUE(rows(db, "PRAGMA foreign_key_check").empty());
  }

  const fs::path fresh_dir = root_ / "fresh";
  { StateStore fresh(fresh_dir); }
  EXPECT_EQ(schema_of(db_path()), schema_of(fresh_dir / "state.db"));
}

INSTANTIATE_TEST_SUITE_P(EachSchema, SchemaUpgrade,
                         ::testing::Range(1, StateStore::kSchemaVersion + 1),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return "schema" + std::to_string(param.param);
                         });

}  // namespace
}  // namespace psd::state::testing
