#include "daemon/engine/cycle.hpp"

#include <gtest/gtest.h>

#include "tests/unit/core/sample_service.hpp"
#include "tests/unit/engine/cycle_fixture.hpp"

namespace psd::engine {
namespace {

using core::testing::sample_service;

class CycleTest : public testing::CycleFixture {
 protected:
  /// Change a service's content in the catalogue, as a new snapshot version.
  void edit_service(const std::string& code) {
    for (auto& entry : catalogue_.snapshot.services) {
      if (entry.service.code != code) continue;
      entry.service.name += " (sửa đổi)";
      entry.content_hash = core::content_hash(entry.service);
    }
    catalogue_.snapshot.version += "+";
    catalogue_.snapshot.etag += "+";
  }
  CycleReport cycle(CycleMode mode = CycleMode::execute) {
    options_.mode = mode;
    return CycleFixture::cycle();
  }
};

TEST_F(CycleTest, PushesMissingAndChangedServicesAndReachesFullCoverage) {
  for (const char* code : {"A", "B", "C"}) add_service(code);
  portal_.held["B"] = {"sha256:old", core::Level::full};
  portal_.held["C"] = {hash_of("C"), core::Level::full};

  const CycleReport report = cycle();

  EXPECT_EQ(report.exit_code, ExitCode::in_sync);
  EXPECT_EQ(report.result, state::CycleResult::ok);
  EXPECT_EQ(report.pushed, 2u);
  ASSERT_EQ(portal_.writes.size(), 2u);
  EXPECT_EQ(report.coverage_before->overall, (core::Tally{3, 2, 1}));
  EXPECT_EQ(report.coverage->overall, (core::Tally{3, 3, 3}));
  EXPECT_EQ(portal_.held.at("A").content_hash, hash_of("A"));
  EXPECT_TRUE(store_->pending_ops().empty());
  EXPECT_EQ(store_->sync_status("A")->pushed_hash, hash_of("A"));
  ASSERT_EQ(store_->history(5).size(), 1u);
  EXPECT_DOUBLE_EQ(store_->history(5)[0].percent, 100.0);
  EXPECT_EQ(portal_.max_in_flight_seen, 4u);
}

TEST_F(CycleTest, ASecondCycleWithNothingChangedWritesNothingAndUsesTheETag) {
  add_service("A");
  cycle();
  portal_.writes.clear();
  const CycleReport second = cycle();
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_TRUE(second.catalogue_unchanged);
  EXPECT_EQ(catalogue_.etags_seen.back(), "\"v1\"");
  EXPECT_EQ(second.coverage->overall, (core::Tally{1, 1, 1}));
  EXPECT_EQ(second.exit_code, ExitCode::in_sync);
}

TEST_F(CycleTest, IgnoringTheCacheReadsTheWholeCatalogue) {
  add_service("A");
  cycle();
  options_.target.cache = CatalogueCache::ignore;
  const CycleReport second = cycle();
  EXPECT_FALSE(second.catalogue_unchanged);
  EXPECT_EQ(catalogue_.etags_seen.back(), "");
}

TEST_F(CycleTest, DryRunSendsNoWriteAndLeavesStateAlone) {
  add_service("A");
  const CycleReport report = cycle(CycleMode::dry_run);
  EXPECT_TRUE(portal_.writes.empty());
  ASSERT_TRUE(report.plan);
  EXPECT_EQ(report.plan->creates.size(), 1u);
  EXPECT_TRUE(store_->pending_ops().empty());
  EXPECT_TRUE(store_->history(5).empty());
  EXPECT_FALSE(store_->load_snapshot());
}

TEST_F(CycleTest, ARejectedPushIsParkedUntilItsContentChanges) {
  add_service("A");
  add_service("B");
  portal_.script["A"] = {WriteOutcome::rejected};

  const CycleReport first = cycle();
  EXPECT_EQ(first.exit_code, ExitCode::not_in_sync);
  EXPECT_EQ(first.result, state::CycleResult::partial);
  EXPECT_EQ(first.queue.rejected, 1u);
  EXPECT_EQ(first.failed, 1u);
  ASSERT_EQ(first.rejected.size(), 1u);
  EXPECT_EQ(first.rejected[0].reason, "INVALID_FIELD: name");

  portal_.writes.clear();
  const CycleReport second = cycle();
  EXPECT_TRUE(portal_.writes.empty()) << "a parked service was pushed again unchanged";
  EXPECT_EQ(second.queue.rejected, 1u);
  EXPECT_EQ(second.exit_code, ExitCode::not_in_sync);

  edit_service("A");
  const CycleReport third = cycle();
  ASSERT_EQ(portal_.writes.size(), 1u);
  EXPECT_EQ(portal_.writes[0].code, "A");
  EXPECT_EQ(third.exit_code, ExitCode::in_sync);
  EXPECT_EQ(third.queue.rejected, 0u);
}

TEST_F(CycleTest, TransientFailuresAreRetriedWithBackoffWithTheSameKey) {
  add_service("A");
  portal_.script["A"] = {WriteOutcome::retry, WriteOutcome::retry};
  const CycleReport report = cycle();
  EXPECT_EQ(report.exit_code, ExitCode::in_sync);
  const auto& keys = portal_.keys_by_code.at("A");
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0], keys[1]);
  EXPECT_EQ(keys[1], keys[2]);
  EXPECT_GT(clock_.slept().count(), 0);
}

TEST_F(CycleTest, APushThatKeepsFailingStaysInTheOutboxAndIsResentWithItsKey) {
  add_service("A");
  portal_.script["A"] = {WriteOutcome::retry, WriteOutcome::retry, WriteOutcome::retry};
  const CycleReport first = cycle();
  EXPECT_EQ(first.exit_code, ExitCode::not_in_sync);
  EXPECT_EQ(first.failed, 1u);
  ASSERT_EQ(store_->pending_ops().size(), 1u);
  EXPECT_EQ(store_->pending_ops()[0].attempts, 3);
  EXPECT_EQ(first.queue.pending, 1u);
  EXPECT_EQ(first.queue.retrying, 1u);
  EXPECT_EQ(store_->sync_status("A")->last_error, "HTTP 503");

  const CycleReport second = cycle();
  EXPECT_EQ(second.exit_code, ExitCode::in_sync);
  const auto& keys = portal_.keys_by_code.at("A");
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys.front(), keys.back()) << "a resent push must carry the key it was first sent with";
  EXPECT_TRUE(store_->pending_ops().empty());
  EXPECT_EQ(store_->sync_status("A")->attempts, 4) << "attempts count every send over all cycles";
}

TEST_F(CycleTest, APendingPushThatLandedBeforeACrashIsNotSentAgain) {
  add_service("A");
  // A crash after the portal applied the push but before the outcome was
  // recorded: the op is still in the outbox, the portal holds the content.
  enqueue_left_by_crash(state::OpKind::put, "A", "psd-H43-A-before-crash", "{}");
  portal_.held["A"] = {hash_of("A"), core::Level::full};

  const CycleReport report = cycle();
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_TRUE(store_->pending_ops().empty());
  EXPECT_EQ(report.exit_code, ExitCode::in_sync);
}

TEST_F(CycleTest, AnUnsentPushFromACrashIsSentWithItsCommittedKey) {
  add_service("A");
  enqueue_left_by_crash(state::OpKind::put, "A", "psd-H43-A-before-crash",
                        core::put_body(core::canonical_body(sample_service("A")), hash_of("A")));

  cycle();
  ASSERT_EQ(portal_.writes.size(), 1u);
  EXPECT_EQ(portal_.writes[0].idempotency_key, "psd-H43-A-before-crash");
}

TEST_F(CycleTest, AConfigurationRefusalStopsPushingAndKeepsTheOutbox) {
  for (const char* code : {"A", "B", "C"}) add_service(code);
  portal_.script["A"] = {WriteOutcome::stop};
  const CycleReport report = cycle();
  EXPECT_EQ(report.exit_code, ExitCode::fatal);
  EXPECT_EQ(report.result, state::CycleResult::failed);
  EXPECT_NE(report.error.find("refused this client"), std::string::npos);
  EXPECT_EQ(portal_.writes.size(), 1u);
  EXPECT_EQ(store_->pending_ops().size(), 3u);
}

TEST_F(CycleTest, AFailedCatalogueListingPushesNothing) {
  add_service("A");
  catalogue_.failure = core::Failure{core::FailureKind::torn, "provincial catalogue: torn"};
  const CycleReport report = cycle();
  EXPECT_EQ(report.exit_code, ExitCode::listing_failed);
  EXPECT_EQ(report.result, state::CycleResult::failed);
  EXPECT_EQ(report.error, "provincial catalogue: torn");
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_EQ(store_->history(1)[0].result, state::CycleResult::failed);
}

TEST_F(CycleTest, AFailedNationalListingPushesNothing) {
  add_service("A");
  portal_.list_failure = core::Failure{core::FailureKind::bad_response, "national portal: cursor"};
  const CycleReport report = cycle();
  EXPECT_EQ(report.exit_code, ExitCode::listing_failed);
  EXPECT_TRUE(portal_.writes.empty());
}

TEST_F(CycleTest, InvalidRecordsAreReportedAndTheValidOnesPushed) {
  add_service("A");
  core::InvalidRecord broken;
  broken.code = "X";
  broken.reason = "field 'level': must be one of full, partial";
  catalogue_.snapshot.invalid.push_back(broken);
  const CycleReport report = cycle();
  EXPECT_EQ(report.exit_code, ExitCode::in_sync) << "invalid records do not change the code";
  EXPECT_EQ(report.queue.invalid, 1u);
  ASSERT_EQ(report.invalid.size(), 1u);
  EXPECT_EQ(report.coverage->overall, (core::Tally{2, 1, 1}));
  EXPECT_EQ(portal_.writes.size(), 1u);
}

TEST_F(CycleTest, WithdrawsOrphansOnlyWhenTheOperatorTurnedItOn) {
  // 1 orphan among 31 services: under the 5% mass-withdrawal guard.
  for (int i = 0; i < 30; ++i) {
    const std::string code = "S" + std::to_string(i);
    add_service(code);
    portal_.held[code] = {hash_of(code), core::Level::full};
  }
  portal_.held["GONE"] = {"sha256:g", core::Level::full};
  cycle();
  EXPECT_TRUE(portal_.writes.empty());
  options_.withdraw = core::WithdrawPolicy::withdraw_orphans;
  const CycleReport report = cycle();
  ASSERT_EQ(portal_.writes.size(), 1u);
  EXPECT_EQ(portal_.writes[0].method, WriteMethod::remove);
  EXPECT_FALSE(portal_.held.contains("GONE"));
  EXPECT_EQ(report.coverage->orphaned, 0u);
}

}  // namespace
}  // namespace psd::engine

namespace psd::engine {
namespace {

TEST_F(CycleTest, RefusesAMassWithdrawalAndSaysWhy) {
  options_.withdraw = core::WithdrawPolicy::withdraw_orphans;
  for (const char* code : {"A", "B", "C", "D"}) {
    add_service(code);
    portal_.held[code] = {hash_of(code), core::Level::full};
  }
  cycle();
  // The catalogue loses 3 of its 4 services: a mishap, not a decision.
  catalogue_.snapshot.services.resize(1);
  catalogue_.snapshot.etag = "\"v2\"";
  const CycleReport report = cycle();
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_EQ(report.exit_code, ExitCode::listing_failed);
  EXPECT_NE(report.error.find("shrank from 4 to 1"), std::string::npos) << report.error;
  EXPECT_EQ(portal_.held.size(), 4u);
}

}  // namespace
}  // namespace psd::engine
