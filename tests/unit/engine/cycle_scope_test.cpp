// A cycle asked to stop early (shutdown, pause) or to push only some services
// (an operator's targeted resync).
#include <gtest/gtest.h>

#include <stop_token>

#include "daemon/engine/cycle.hpp"
#include "tests/unit/engine/cycle_fixture.hpp"

namespace psd::engine {
namespace {

class CycleScopeTest : public testing::CycleFixture {
 protected:
  void SetUp() override {
    CycleFixture::SetUp();
    options_.push.max_in_flight = 1;  // one write at a time: a stop lands between two
  }
};

TEST_F(CycleScopeTest, AStopBeforeTheListingsEndsTheCycleWithNothingPlannedOrPushed) {
  add_service("A");
  std::stop_source stop;
  stop.request_stop();
  options_.stop = stop.get_token();
  const CycleReport report = cycle();
  EXPECT_TRUE(report.cut_short);
  EXPECT_EQ(report.result, state::CycleResult::failed);
  EXPECT_NE(report.error.find("stopped"), std::string::npos);
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_TRUE(store_->pending_ops().empty()) << "nothing was planned, so nothing was queued";
}

TEST_F(CycleScopeTest, AStopDuringThePushesSendsNothingNewAndKeepsTheRestInTheOutbox) {
  for (const char* code : {"A", "B", "C", "D"}) add_service(code);
  std::stop_source stop;
  options_.stop = stop.get_token();
  portal_.on_write = [&](const WriteRequest&) { stop.request_stop(); };

  const CycleReport report = cycle();

  EXPECT_TRUE(report.cut_short);
  EXPECT_EQ(report.result, state::CycleResult::partial);
  EXPECT_EQ(portal_.writes.size(), 1u) << "the write in flight finishes; no other starts";
  EXPECT_EQ(report.pushed, 1u);
  EXPECT_EQ(store_->pending_ops().size(), 3u);
  EXPECT_EQ(report.exit_code, ExitCode::not_in_sync);

  // The next cycle sends the rest with the keys committed before the stop.
  std::map<std::string, std::string> key_of;
  for (const auto& op : store_->pending_ops()) key_of[op.code] = op.idempotency_key;
  options_.stop = {};
  portal_.on_write = nullptr;
  catalogue_.snapshot.etag += "+";
  const CycleReport next = cycle();
  EXPECT_EQ(next.exit_code, ExitCode::in_sync);
  ASSERT_EQ(portal_.writes.size(), 4u);
  for (std::size_t i = 1; i < portal_.writes.size(); ++i) {
    EXPECT_EQ(portal_.writes[i].idempotency_key, key_of.at(portal_.writes[i].code));
  }
}

TEST_F(CycleScopeTest, AStopDuringABackoffEndsTheWaitAndRecordsTheAttempt) {
  add_service("A");
  portal_.script["A"] = {WriteOutcome::retry};
  std::stop_source stop;
  options_.stop = stop.get_token();
  portal_.on_write = [&](const WriteRequest&) { stop.request_stop(); };

  const CycleReport report = cycle();

  EXPECT_TRUE(report.cut_short);
  EXPECT_EQ(portal_.writes.size(), 1u);
  EXPECT_EQ(clock_.slept().count(), 0) << "no backoff wait after the stop";
  ASSERT_EQ(store_->pending_ops().size(), 1u);
  EXPECT_EQ(store_->pending_ops()[0].attempts, 1);
}

TEST_F(CycleScopeTest, OnlyCodesPushesThoseAndQueuesTheRestForLater) {
  for (const char* code : {"A", "B", "C"}) add_service(code);
  options_.target.only_codes = {"B"};

  const CycleReport report = cycle();

  EXPECT_EQ(written_codes(), std::vector<std::string>{"B"});
  EXPECT_EQ(report.pushed, 1u);
  EXPECT_EQ(report.coverage->overall.integrated, 1u) << "coverage still counts every service";
  EXPECT_EQ(report.coverage->overall.total, 3u);
  EXPECT_EQ(store_->pending_ops().size(), 2u);
}

TEST_F(CycleScopeTest, OnlyAgencyPushesThatAgencysServices) {
  add_service("A", "AG1");
  add_service("B", "AG2");
  add_service("C", "AG1");
  options_.target.only_agency = "AG1";

  cycle();

  EXPECT_EQ(written_codes(), (std::vector<std::string>{"A", "C"}));
}

}  // namespace
}  // namespace psd::engine
