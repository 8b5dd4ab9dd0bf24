// StateStore: the last complete listing comes back exactly as it was saved.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "daemon/state/migrations.hpp"
#include "daemon/state/state_store.hpp"
#include "tests/unit/state/state_fixture.hpp"

namespace psd::state {
namespace {

using testing::StateTest;

core::Snapshot sample_snapshot() {
  core::Snapshot snapshot;
  snapshot.version = "2024-10-28.7";
  snapshot.etag = "W/\"catalogue-7\"";
  // Codes out of order on purpose: the listing's order must be kept, not sorted.
  snapshot.services.push_back(
      {core::Service{.code = "1.001612.000.00.00.H43",
                     .name = "Cấp giấy phép xây dựng đối với công trình cấp III",
                     .level = core::Level::full,
                     .agency = {"000.00.15.H43", "Sở Xây dựng"},
                     .field = "Xây dựng",
                     .admin_level = core::AdminLevel::province,
                     .fee_vnd = 9007199254740991ULL,
                     .processing_days = 3650,
                     .status = core::Status::active,
                     .updated_at = "2024-10-28T09:15:00+07:00"},
       "sha256:e506de77bc459cc414bbd8285efe12d56fabebb03acde9a5e9ba76cf8ab23df9"});
  snapshot.services.push_back({core::Service{.code = "0.zz",
                                             .name = "Đăng ký khai sinh 👶 \"quoted\" \\ tab\tend",
                                             .level = core::Level::partial,
                                             .agency = {"H43.01", "UBND xã Tân Phú"},
                                             .field = "",
                                             .admin_level = core::AdminLevel::commune,
                                             .fee_vnd = 0,
                                             .processing_days = 0,
                                             .status = core::Status::suspended,
                                             .updated_at = "2024-10-28T02:15:00.5Z"},
                               "sha256:00"});
  snapshot.services.push_back(
      {core::Service{.code = "5.district",
                     .name = "Ne\u0301",  // combining acute accent, kept as it came
                     .level = core::Level::full,
                     .agency = {"H43.D", "Phòng Tư pháp"},
                     .field = "Tư pháp",
                     .admin_level = core::AdminLevel::district,
                     .fee_vnd = 150000,
                     .processing_days = 15,
                     .status = core::Status::active,
                     .updated_at = "2024-01-01T00:00:00Z"},
       "sha256:55"});
  snapshot.invalid.push_back(core::InvalidRecord{.code = "Z.bad",
                                                 .reason = "field 'level': must be one of full, "
                                                           "partial",
                                                 .counts_active = true,
                                                 .level = std::nullopt,
                                                 .agency_code = "000.00.15.H43",
                                                 .admin_level = core::AdminLevel::district,
                                                 .page = 3,
                                                 .index = 199});
  snapshot.invalid.push_back(core::InvalidRecord{.code = std::string("nul\0inside", 10),
                                                 .reason = "field 'code': bad character",
                                                 .counts_active = false,
                                                 .level = core::Level::partial,
                                                 .agency_code = "",
                                                 .admin_level = std::nullopt,
                                                 .page = 1,
                                                 .index = 0});
  snapshot.invalid.push_back(core::InvalidRecord{.code = "",
                                                 .reason = "field 'code': missing",
                                                 .counts_active = true,
                                                 .level = core::Level::full,
                                                 .agency_code = "Sở",
                                                 .admin_level = core::AdminLevel::commune,
                                                 .page = 2,
                                                 .index = 7});
  return snapshot;
}

void expect_same(const core::Snapshot& actual, const core::Snapshot& expected) {
  EXPECT_EQ(actual.version, expected.version);
  EXPECT_EQ(actual.etag, expected.etag);
  EXPECT_EQ(actual.services, expected.services);
  EXPECT_EQ(actual.invalid, expected.invalid);
}

TEST_F(StateTest, NoSnapshotBeforeTheFirstSave) {
  const StateStore store(state_dir());
  EXPECT_FALSE(store.load_snapshot().has_value());
}

TEST_F(StateTest, SnapshotRoundTripKeepsEveryFieldAndTheOrder) {
  const core::Snapshot saved = sample_snapshot();
  {
    StateStore store(state_dir());
    store.save_snapshot(saved);
  }
  const auto loaded = StateStore(state_dir()).load_snapshot();
  ASSERT_TRUE(loaded.has_value());
  expect_same(*loaded, saved);
  ASSERT_EQ(loaded->services.size(), 3u);
  EXPECT_EQ(loaded->services[0].service.fee_vnd, 9007199254740991ULL);
  EXPECT_EQ(loaded->invalid[1].code.size(), 10u);
}

TEST_F(StateTest, SnapshotIsStoredAsTheContractWords) {
  StateStore store(state_dir());
  store.save_snapshot(sample_snapshot());
  auto db = raw(SQLite::OPEN_READONLY);
  SQLite::Statement select(db,
                           "SELECT level, admin_level, status FROM snapshot_service"
                           " ORDER BY position LIMIT 1 OFFSET 1");
  ASSERT_TRUE(select.executeStep());
  EXPECT_EQ(select.getColumn(0).getString(), "partial");
  EXPECT_EQ(select.getColumn(1).getString(), "commune");
  EXPECT_EQ(select.getColumn(2).getString(), "suspended");
}

TEST_F(StateTest, SavingReplacesThePreviousSnapshot) {
  StateStore store(state_dir());
  store.save_snapshot(sample_snapshot());
  core::Snapshot smaller;
  smaller.version = "v8";
  smaller.etag = "\"e8\"";
  smaller.services.push_back(testing::entry("only", "Một", "sha256:1"));
  store.save_snapshot(smaller);

  const auto loaded = store.load_snapshot();
  ASSERT_TRUE(loaded.has_value());
  expect_same(*loaded, smaller);
  EXPECT_EQ(raw().execAndGet("SELECT count(*) FROM snapshot_invalid").getInt(), 0);
}

TEST_F(StateTest, SavingAnUnchangedSnapshotWritesNoServiceRow) {
  StateStore store(state_dir());
  EXPECT_EQ(store.save_snapshot(sample_snapshot()), 6u);
  const std::int64_t before = store.total_changes();
  EXPECT_EQ(store.save_snapshot(sample_snapshot()), 0u);
  // One change: the header row (version, ETag, time); no service or invalid row.
  EXPECT_EQ(store.total_changes() - before, 1);
}

TEST_F(StateTest, SavingWritesOnlyTheRowsThatChanged) {
  StateStore store(state_dir());
  store.save_snapshot(sample_snapshot());
  core::Snapshot next = sample_snapshot();
  next.version = "2024-10-29.1";
  next.services[0].content_hash = "sha256:changed";                     // content changed
  next.services[1].service.status = core::Status::active;               // status changed
  next.services.erase(next.services.begin() + 2);                       // gone
  next.services.push_back(testing::entry("9.new", "Mới", "sha256:9"));  // new
  next.services.insert(next.services.begin(), testing::entry("0.first", "Đầu", "sha256:0"));

  const std::int64_t before = store.total_changes();
  EXPECT_EQ(store.save_snapshot(next), 5u);
  EXPECT_EQ(store.total_changes() - before, 1 + 5) << "the header and the five rows, no other";

  const auto loaded = store.load_snapshot();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->version, next.version);
  ASSERT_EQ(loaded->services.size(), 4u);
  // Rewritten rows take their new places; order is by the listing that wrote each row.
  for (const auto& entry : next.services) {
    const auto found =
        std::find_if(loaded->services.begin(), loaded->services.end(),
                     [&](const auto& e) { return e.service.code == entry.service.code; });
    ASSERT_NE(found, loaded->services.end()) << entry.service.code;
    EXPECT_EQ(*found, entry);
  }
  EXPECT_EQ(loaded->invalid, next.invalid);
}

TEST_F(StateTest, TheHeaderGivesTheETagAndActiveSizeWithoutTheServices) {
  StateStore store(state_dir());
  EXPECT_FALSE(store.load_snapshot_header().has_value());
  store.save_snapshot(sample_snapshot());
  const auto header = store.load_snapshot_header();
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->etag, "W/\"catalogue-7\"");
  EXPECT_EQ(header->version, "2024-10-28.7");
  // Two active valid services, one suspended; two invalid records count as active.
  EXPECT_EQ(header->active, 4u);
}

TEST_F(StateTest, ASnapshotSavedBeforeTheKeyByCodeSurvivesTheMigration) {
  {
    // A state.db at schema 1, its snapshot written as version 1 wrote it.
    std::filesystem::create_directories(state_dir());
    SQLite::Database db(db_path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(std::string(migrations()[0].sql));
    db.exec("PRAGMA user_version = 1");
    db.exec("INSERT INTO snapshot VALUES (1, 'v1', '\"e1\"', '2026-01-01T00:00:00Z')");
    db.exec(
        "INSERT INTO snapshot_service VALUES (1, 0, 'B', 'Bê', 'full', 'AG', 'Sở', 'f', 'province',"
        " 0, 1, 'active', '2026-01-01T00:00:00Z', 'sha256:b'),"
        " (1, 1, 'A', 'A', 'partial', 'AG', 'Sở', 'f', 'commune', 5, 2, 'suspended',"
        " '2026-01-01T00:00:00Z', 'sha256:a')");
  }
  StateStore store(state_dir());
  EXPECT_EQ(store.schema_version(), StateStore::kSchemaVersion);
  const auto header = store.load_snapshot_header();
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->etag, "\"e1\"");
  EXPECT_EQ(header->active, 1u) << "B is active, A suspended";
  const auto loaded = store.load_snapshot();
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->services.size(), 2u);
  EXPECT_EQ(loaded->services[0].service.code, "B") << "the listing's order is kept";
  EXPECT_EQ(loaded->services[1].service.status, core::Status::suspended);
}

TEST_F(StateTest, EmptyCatalogueIsASnapshotToo) {
  StateStore store(state_dir());
  core::Snapshot empty;
  empty.version = "v0";
  store.save_snapshot(empty);
  const auto loaded = store.load_snapshot();
  ASSERT_TRUE(loaded.has_value());
  expect_same(*loaded, empty);
}

}  // namespace
}  // namespace psd::state
