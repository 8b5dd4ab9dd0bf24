// The mass-withdrawal guard inside a whole cycle: with withdrawal on, a
// failed, torn, empty or shrunk listing, or too large a share, withdraws
// nothing and says why in one line; a small withdrawal still happens.

#include <gtest/gtest.h>

#include "daemon/engine/cycle.hpp"
#include "tests/unit/engine/cycle_fixture.hpp"

namespace psd::engine {
namespace {

class WithdrawGuardCycleTest : public testing::CycleFixture {
 protected:
  void SetUp() override {
    CycleFixture::SetUp();
    options_.withdraw = core::WithdrawPolicy::withdraw_orphans;
    options_.withdraw_limits = {0.05, 0.10};
    // 100 services, all in sync on the portal, plus 1 orphan: a healthy start.
    add_services(100, /*held=*/true);
  }

  /// Drop the last `n` services from the catalogue, as a new version.
  void remove_from_catalogue(std::size_t n) {
    catalogue_.snapshot.services.resize(catalogue_.snapshot.services.size() - n);
    catalogue_.snapshot.version += "-";
    catalogue_.snapshot.etag += "-";
  }

  /// With only the shrink guard standing (any share may be withdrawn), a
  /// cycle in sync, then a catalogue that lost its last `n` services.
  void sync_then_shrink_under_the_shrink_guard(std::size_t n) {
    options_.withdraw_limits.max_withdraw_fraction = 1.0;
    ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
    remove_from_catalogue(n);
  }

  std::size_t deletes() const {
    std::size_t count = 0;
    for (const auto& write : portal_.writes) count += write.method == WriteMethod::remove ? 1 : 0;
    return count;
  }

  static void expect_one_line_naming(const CycleReport& report, const std::string& why) {
    EXPECT_NE(report.error.find(why), std::string::npos) << report.error;
    EXPECT_EQ(report.error.find('\n'), std::string::npos) << report.error;
    EXPECT_EQ(report.exit_code, ExitCode::listing_failed);
  }
};

TEST_F(WithdrawGuardCycleTest, ASmallWithdrawalFromAHealthyListingHappens) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  remove_from_catalogue(2);  // 2 of 100: under both limits
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 2u);
  EXPECT_EQ(portal_.held.size(), 98u);
  EXPECT_TRUE(report.error.empty()) << report.error;
  EXPECT_EQ(report.exit_code, ExitCode::in_sync);
}

TEST_F(WithdrawGuardCycleTest, AFailedCatalogueListingWithdrawsNothing) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  portal_.held["ORPHAN"] = {"sha256:o", core::Level::full};
  catalogue_.failure = core::Failure{core::FailureKind::bad_response,
                                     "provincial catalogue: GET u: page 2: not valid JSON"};
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 0u);
  EXPECT_TRUE(portal_.held.contains("ORPHAN"));
  expect_one_line_naming(report, "provincial catalogue");
  EXPECT_EQ(report.result, state::CycleResult::failed);
}

TEST_F(WithdrawGuardCycleTest, ATornListingWithdrawsNothing) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  portal_.held["ORPHAN"] = {"sha256:o", core::Level::full};
  catalogue_.failure =
      core::Failure{core::FailureKind::torn, "provincial catalogue: the catalogue changed"};
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 0u);
  expect_one_line_naming(report, "changed");
}

TEST_F(WithdrawGuardCycleTest, AnEmptyListingWithdrawsNothing) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  remove_from_catalogue(100);
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 0u);
  EXPECT_EQ(portal_.held.size(), 100u);
  expect_one_line_naming(report, "the catalogue listing is empty");
}

TEST_F(WithdrawGuardCycleTest, AShrunkListingWithdrawsNothing) {
  ASSERT_NO_FATAL_FAILURE(sync_then_shrink_under_the_shrink_guard(30));
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 0u);
  expect_one_line_naming(report, "shrank from 100 to 70");
}

TEST_F(WithdrawGuardCycleTest, AShrunkListingStaysRefusedOnTheNextCycles) {
  // The shrunk listing must not become the yardstick the next cycle measures
  // against, or a mishap that lasts two cycles would unpublish services.
  ASSERT_NO_FATAL_FAILURE(sync_then_shrink_under_the_shrink_guard(30));
  cycle();
  const CycleReport again = cycle();
  const CycleReport third = cycle();
  EXPECT_EQ(deletes(), 0u);
  expect_one_line_naming(again, "shrank from 100 to 70");
  expect_one_line_naming(third, "shrank from 100 to 70");
}

TEST_F(WithdrawGuardCycleTest, AnOperatorWhoRaisesTheShrinkLimitLetsTheWithdrawalThrough) {
  ASSERT_NO_FATAL_FAILURE(sync_then_shrink_under_the_shrink_guard(30));
  cycle();
  options_.withdraw_limits.max_catalogue_shrink = 0.5;
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 30u);
  EXPECT_TRUE(report.error.empty()) << report.error;
  // The smaller catalogue is now the yardstick: the next cycle is calm.
  options_.withdraw_limits.max_catalogue_shrink = 0.10;
  EXPECT_TRUE(cycle().error.empty());
}

TEST_F(WithdrawGuardCycleTest, TooLargeAShareWithdrawsNothing) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  for (int i = 0; i < 6; ++i) portal_.held["GONE" + std::to_string(i)] = {"sha256:g", {}};
  const CycleReport report = cycle();  // 6 of 106 is 5.7%: over 5%
  EXPECT_EQ(deletes(), 0u);
  expect_one_line_naming(report, "max_withdraw_fraction");
  EXPECT_EQ(report.result, state::CycleResult::partial);
}

TEST_F(WithdrawGuardCycleTest, ARefusedCycleStillPushesWhatChanged) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  remove_from_catalogue(100);
  add_service("NEW");
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 0u);
  ASSERT_EQ(portal_.writes.size(), 1u);
  EXPECT_EQ(portal_.writes[0].code, "NEW");
  expect_one_line_naming(report, "shrank from 100 to 1");
}

TEST_F(WithdrawGuardCycleTest, APendingWithdrawalFromACrashedCycleIsNotSentWhenTheGuardRefuses) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  // A cycle committed a withdrawal to the outbox, then the process died.
  enqueue_left_by_crash(state::OpKind::remove, "S99", "H43-S99-crashed");
  // Now the catalogue has lost most of its services.
  remove_from_catalogue(60);
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 0u);
  EXPECT_TRUE(portal_.held.contains("S99"));
  EXPECT_TRUE(store_->pending_ops().empty()) << "the refused withdrawal left the outbox";
  expect_one_line_naming(report, "shrank");
}

TEST_F(WithdrawGuardCycleTest, APendingWithdrawalIsNotSentWhenTheListingFails) {
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  enqueue_left_by_crash(state::OpKind::remove, "S99", "H43-S99-crashed");
  catalogue_.failure = core::Failure{core::FailureKind::transient, "provincial catalogue: 503"};
  cycle();
  EXPECT_EQ(deletes(), 0u);
}

TEST_F(WithdrawGuardCycleTest, WithdrawalOffNeverWithdrawsWhateverTheListing) {
  options_.withdraw = core::WithdrawPolicy::keep_orphans;
  ASSERT_EQ(cycle().exit_code, ExitCode::in_sync);
  remove_from_catalogue(1);
  const CycleReport report = cycle();
  EXPECT_EQ(deletes(), 0u);
  EXPECT_TRUE(report.error.empty());
  EXPECT_EQ(report.coverage->orphaned, 1u);
}

}  // namespace
}  // namespace psd::engine
