// A 304 cycle whose listing is what the last settled cycle left plans
// nothing and reuses that cycle's coverage; anything else plans in full.
#include <gtest/gtest.h>

#include "daemon/core/canonical.hpp"
#include "tests/unit/engine/cycle_fixture.hpp"

namespace psd::engine {
namespace {

class CycleSettledTest : public testing::CycleFixture {
 protected:
  void SetUp() override {
    CycleFixture::SetUp();
    // 31 services, so that one orphan is under the 5% mass-withdrawal guard.
    add_services(31, /*held=*/true);
    core::InvalidRecord broken;
    broken.code = "X";
    broken.reason = "field 'level': must be one of full, partial";
    catalogue_.snapshot.invalid.push_back(broken);
    // In sync but for two missing, one stale and one orphan.
    portal_.held.erase("S2");
    portal_.held.erase("S3");
    portal_.held["S1"] = {"sha256:stale", core::Level::full};
    portal_.held["GONE"] = {"sha256:g", core::Level::full};
  }
};

TEST_F(CycleSettledTest, AnUnchangedCycleAfterASettledOnePlansNothingAndKeepsTheCoverage) {
  options_.withdraw = core::WithdrawPolicy::withdraw_orphans;
  const CycleReport first = cycle();  // creates, an update and a withdrawal
  ASSERT_EQ(first.result, state::CycleResult::ok);
  EXPECT_FALSE(first.settled);
  portal_.writes.clear();

  const CycleReport second = cycle();

  EXPECT_TRUE(second.catalogue_unchanged);
  EXPECT_TRUE(second.settled) << "the digest after the writes is the listing's";
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_EQ(second.coverage->overall, first.coverage->overall);
  EXPECT_EQ(second.coverage->by_agency, first.coverage->by_agency);
  EXPECT_EQ(second.coverage->orphaned, 0u);
  EXPECT_EQ(second.listed, first.listed);
  ASSERT_EQ(second.invalid.size(), 1u);
  EXPECT_EQ(second.invalid[0].code, "X");
  EXPECT_EQ(second.queue.invalid, 1u);
  EXPECT_EQ(second.exit_code, ExitCode::in_sync);
  EXPECT_EQ(store_->history(1)[0].result, state::CycleResult::ok);
  EXPECT_TRUE(cycle().settled) << "a settled cycle stays settled";
}

TEST_F(CycleSettledTest, ASettledCycleKeepsTheNationalListingAndItsHistoryTotals) {
  const CycleReport first = cycle();
  ASSERT_EQ(first.result, state::CycleResult::ok);
  // A change of level alone: the digest (code -> hash) does not see it.
  portal_.held["S7"].level = core::Level::partial;

  const CycleReport second = cycle();

  ASSERT_TRUE(second.settled);
  const std::optional<core::Mirror> stored = store_->load_mirror();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), portal_.held.size());
  for (const auto& [code, held] : portal_.held) {
    ASSERT_TRUE(stored->contains(code)) << code;
    EXPECT_EQ(stored->at(code).content_hash, held.content_hash) << code;
    EXPECT_EQ(stored->at(code).level, held.level) << code << ": the level this cycle read";
  }
  const state::CycleRecord row = store_->history(1)[0];
  EXPECT_TRUE(row.has_coverage);
  EXPECT_EQ(row.full_total, first.coverage->full.total);
  EXPECT_EQ(row.partial_total, first.coverage->partial.total);
  EXPECT_EQ(row.total, first.coverage->overall.total);
  EXPECT_EQ(row.in_sync, first.coverage->overall.in_sync);
  EXPECT_EQ(row.integrated_before, first.coverage->overall.integrated);
  EXPECT_EQ(row.in_sync_before, first.coverage->overall.in_sync);
}

TEST_F(CycleSettledTest, AChangeOnThePortalIsSeenAndMended) {
  cycle();
  portal_.held.erase("S5");  // someone withdrew it on the portal
  portal_.writes.clear();

  const CycleReport second = cycle();

  EXPECT_FALSE(second.settled);
  ASSERT_EQ(portal_.writes.size(), 1u);
  EXPECT_EQ(portal_.writes[0].code, "S5");
  EXPECT_TRUE(cycle().settled) << "settled again once mended";
}

TEST_F(CycleSettledTest, ACycleThatLeftAPushFailedDoesNotSettle) {
  portal_.script["S3"] = {WriteOutcome::retry, WriteOutcome::retry, WriteOutcome::retry};
  const CycleReport first = cycle();
  ASSERT_EQ(first.failed, 1u);
  const CycleReport second = cycle();
  EXPECT_FALSE(second.settled);
  EXPECT_EQ(portal_.writes.back().code, "S3") << "the failed push is sent again";
}

TEST_F(CycleSettledTest, AParkedRejectDoesNotSettle) {
  portal_.script["S3"] = {WriteOutcome::rejected};
  cycle();
  const CycleReport second = cycle();
  EXPECT_FALSE(second.settled);
  EXPECT_EQ(second.queue.rejected, 1u);
}

TEST_F(CycleSettledTest, AnotherWithdrawPolicyPlansAgain) {
  cycle();  // orphans kept
  options_.withdraw = core::WithdrawPolicy::withdraw_orphans;
  const CycleReport second = cycle();
  EXPECT_FALSE(second.settled);
  ASSERT_FALSE(portal_.writes.empty());
  EXPECT_EQ(portal_.writes.back().method, WriteMethod::remove);
}

TEST_F(CycleSettledTest, AnOpLeftInTheOutboxPlansAgain) {
  cycle();
  state::OutboxOp op;
  op.code = "S2";
  op.content_hash = "sha256:other";
  op.idempotency_key = "psd-H43-S2-left";
  op.body = "{}";
  store_->enqueue({op});
  const CycleReport second = cycle();
  EXPECT_FALSE(second.settled);
  EXPECT_TRUE(store_->pending_ops().empty()) << "the plan dropped the op it does not want";
}

TEST_F(CycleSettledTest, ADryRunAlwaysPlansInFull) {
  cycle();
  options_.mode = CycleMode::dry_run;
  options_.target.cache = CatalogueCache::use_etag;
  const CycleReport plan = cycle();
  EXPECT_FALSE(plan.settled);
  ASSERT_TRUE(plan.plan);
  EXPECT_EQ(plan.plan->in_sync, 31u);
}

}  // namespace
}  // namespace psd::engine
