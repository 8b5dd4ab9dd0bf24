// StateStore: the last complete listing comes back exactly as it was saved.
#include <gtest/gtest.h>

#include <string>

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
