// StateReader: the read-only view portal-syncctl report uses.
#include "daemon/state/state_reader.hpp"

#include <SQLiteCpp/Transaction.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/state/migrations.hpp"
#include "tests/unit/state/state_fixture.hpp"

namespace psd::state {
namespace {

using ::testing::HasSubstr;
using testing::small_snapshot;
using testing::StateTest;

std::string error_of(const std::filesystem::path& dir) {
  try {
    StateReader reader(dir);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST_F(StateTest, ReaderSeesWhatTheStoreWrote) {
  StateStore store(state_dir());
  store.save_snapshot(small_snapshot());
  const core::Mirror mirror{{"A.1", core::MirrorEntry{"sha256:aa", core::Level::full}},
                            {"Z.orphan", core::MirrorEntry{"sha256:zz", core::Level::partial}}};
  store.save_mirror(mirror);
  CycleRecord cycle;
  cycle.id = store.begin_cycle("2024-10-28T02:15:00.000Z");
  cycle.finished_at = "2024-10-28T02:16:00.000Z";
  cycle.total = 2;
  cycle.integrated = 1;
  cycle.has_coverage = true;
  cycle.full_total = 2;
  cycle.integrated_before = 0;
  store.finish_cycle(cycle);

  const StateReader reader(state_dir());
  const StoredState state = reader.read();
  ASSERT_TRUE(state.snapshot.has_value());
  EXPECT_EQ(state.snapshot->services, small_snapshot().services);
  EXPECT_EQ(state.snapshot->invalid, small_snapshot().invalid);
  ASSERT_TRUE(state.mirror.has_value());
  EXPECT_EQ(state.mirror->size(), 2u);
  EXPECT_EQ(state.mirror->at("Z.orphan").level, core::Level::partial);
  ASSERT_EQ(state.cycles.size(), 1u);
  EXPECT_TRUE(state.cycles[0].has_coverage);
  EXPECT_EQ(state.cycles[0].full_total, 2u);
  EXPECT_TRUE(state.snapshot_saved_at.has_value());
  const auto stored = store.load_mirror();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->at("A.1").content_hash, "sha256:aa");
}

TEST_F(StateTest, TheStoredNationalListingFollowsTheListingAndTheWritesThatTookEffect) {
  StateStore store(state_dir());
  store.save_mirror({{"A", {"h1", core::Level::full}}, {"B", {"h2", core::Level::partial}}});
  store.save_mirror({{"A", {"h1", core::Level::full}}, {"C", {"h3", core::Level::full}}});
  const std::int64_t before = store.total_changes();
  store.save_mirror({{"A", {"h1", core::Level::full}}, {"C", {"h3", core::Level::full}}});
  EXPECT_EQ(store.total_changes() - before, 1) << "only the time stamp: no row rewritten";
  store.record_mirror_writes({{"A", core::MirrorEntry{"h1b", core::Level::full}},
                              {"C", std::nullopt},
                              {"D", core::MirrorEntry{"h4", core::Level::partial}}});
  const auto mirror = StateReader(state_dir()).read().mirror;
  ASSERT_TRUE(mirror.has_value());
  EXPECT_EQ(mirror->size(), 2u);
  EXPECT_EQ(mirror->at("A").content_hash, "h1b");
  EXPECT_EQ(mirror->at("D").level, core::Level::partial);
  EXPECT_FALSE(mirror->contains("B"));
  EXPECT_FALSE(mirror->contains("C"));
}

TEST_F(StateTest, ReaderBeforeTheFirstCycleHasNoListings) {
  { StateStore store(state_dir()); }
  const StoredState state = StateReader(state_dir()).read();
  EXPECT_FALSE(state.snapshot.has_value());
  EXPECT_FALSE(state.mirror.has_value());
  EXPECT_TRUE(state.cycles.empty());
}

TEST_F(StateTest, ReaderReadsTheLastCommitWhileAWriterHoldsItsLock) {
  StateStore store(state_dir());
  store.save_snapshot(small_snapshot());
  store.save_mirror({});
  SQLite::Database writer = raw();
  SQLite::Transaction open_write(writer, SQLite::TransactionBehavior::IMMEDIATE);
  writer.exec("DELETE FROM snapshot_service");  // not committed
  const StoredState state = StateReader(state_dir()).read();
  ASSERT_TRUE(state.snapshot.has_value());
  EXPECT_EQ(state.snapshot->services.size(), 1u);
}

TEST_F(StateTest, ReaderCreatesNothingAndNamesAMissingFile) {
  const std::string message = error_of(state_dir());
  EXPECT_THAT(message, HasSubstr(db_path().string()));
  EXPECT_FALSE(std::filesystem::exists(state_dir()));
}

TEST_F(StateTest, ReaderRefusesAnOlderSchemaAndSaysHowToUpgrade) {
  { StateStore store(state_dir()); }
  raw().exec("PRAGMA user_version = 1");
  const std::string message = error_of(state_dir());
  EXPECT_THAT(message, HasSubstr(db_path().string()));
  EXPECT_THAT(message, HasSubstr("start portal-syncd"));
}

TEST_F(StateTest, MigrationTwoKeepsTheCyclesOfAVersionOneFileAsMeasured) {
  std::filesystem::create_directories(state_dir());
  {
    SQLite::Database v1(db_path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    v1.exec(std::string(migrations()[0].sql));
    v1.exec("PRAGMA user_version = 1");
    v1.exec(
        "INSERT INTO cycles (started_at, finished_at, result, total, integrated, in_sync, percent)"
        " VALUES ('2024-10-28T02:15:00.000Z', '2024-10-28T02:16:00.000Z', 'ok', 10, 9, 8, 90),"
        " ('2024-10-28T03:15:00.000Z', '2024-10-28T03:16:00.000Z', 'failed', 0, 0, 0, 0)");
  }
  { StateStore store(state_dir()); }  // migrates to the current version
  const StoredState state = StateReader(state_dir()).read();
  ASSERT_EQ(state.cycles.size(), 2u);
  EXPECT_TRUE(state.cycles[0].has_coverage);
  EXPECT_EQ(state.cycles[0].integrated_before, 9u);
  EXPECT_FALSE(state.cycles[1].has_coverage);
  EXPECT_FALSE(state.mirror.has_value());
}

}  // namespace
}  // namespace psd::state
