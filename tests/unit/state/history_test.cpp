// StateStore: the cycle history and the last success.
#include <SQLiteCpp/Transaction.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "daemon/state/state_store.hpp"
#include "daemon/state/store_detail.hpp"
#include "tests/unit/state/state_fixture.hpp"

namespace psd::state {
namespace {

using testing::StateTest;

// Begin and finish a cycle started at minute `minute` with `result`; return its record.
CycleRecord run_cycle(StateStore& store, int minute, CycleResult result) {
  const std::string mm = (minute < 10 ? "0" : "") + std::to_string(minute);
  CycleRecord record;
  record.started_at = "2024-10-28T02:" + mm + ":00.000Z";
  record.id = store.begin_cycle(record.started_at);
  record.finished_at = "2024-10-28T02:" + mm + ":30.000Z";
  record.result = result;
  record.pushed = 3 + static_cast<std::uint64_t>(minute);
  record.failed = result == CycleResult::ok ? 0 : 2;
  record.error = result == CycleResult::failed ? "listing failed: HTTP 503" : "";
  record.total = 1126;
  record.integrated = 985;
  record.in_sync = 980;
  record.percent = 87.48;
  store.finish_cycle(record);
  return record;
}

TEST_F(StateTest, HistoryIsNewestFirstAndLimited) {
  StateStore store(state_dir());
  const CycleRecord first = run_cycle(store, 1, CycleResult::ok);
  const CycleRecord second = run_cycle(store, 2, CycleResult::partial);
  const CycleRecord third = run_cycle(store, 3, CycleResult::failed);
  store.begin_cycle("2024-10-28T02:04:00.000Z");  // still running: not history yet

  const auto two = store.history(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0], third);
  EXPECT_EQ(two[1], second);
  const auto all = StateStore(state_dir()).history(10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2], first);
  EXPECT_TRUE(store.history(0).empty());
}

TEST_F(StateTest, LastSuccessIsTheFinishOfTheLastOkCycle) {
  StateStore store(state_dir());
  EXPECT_FALSE(store.last_success_at().has_value());
  run_cycle(store, 1, CycleResult::ok);
  const CycleRecord ok = run_cycle(store, 2, CycleResult::ok);
  run_cycle(store, 3, CycleResult::partial);
  run_cycle(store, 4, CycleResult::failed);
  EXPECT_EQ(store.last_success_at(), ok.finished_at);
}

TEST_F(StateTest, FinishingAnUnknownCycleIsAnError) {
  StateStore store(state_dir());
  CycleRecord record;
  record.id = 42;
  EXPECT_THROW(store.finish_cycle(record), std::runtime_error);
}

TEST_F(StateTest, HistoryIsPrunedButKeepsTheLastSuccess) {
  StateStore store(state_dir());
  {
    auto db = raw();
    SQLite::Transaction transaction(db);
    db.exec(
        "INSERT INTO cycles (started_at, finished_at, result)"
        " VALUES ('2020-01-01T00:00:00.000Z', '2020-01-01T00:00:01.000Z', 'ok')");
    SQLite::Statement insert(db,
                             "INSERT INTO cycles (started_at, finished_at, result)"
                             " VALUES ('2020-01-02T00:00:00.000Z', '2020-01-02T00:00:01.000Z',"
                             " 'failed')");
    for (int i = 0; i < detail::kHistoryRows + 5; ++i) {
      insert.exec();
      insert.reset();
    }
    transaction.commit();
  }
  run_cycle(store, 1, CycleResult::failed);

  EXPECT_EQ(raw().execAndGet("SELECT count(*) FROM cycles").getInt(), detail::kHistoryRows + 1);
  EXPECT_EQ(store.last_success_at(), "2020-01-01T00:00:01.000Z");
}

}  // namespace
}  // namespace psd::state
