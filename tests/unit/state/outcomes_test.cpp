// StateStore: what the portal answered moves ops out of the outbox into sync_status.
#include <gtest/gtest.h>

#include "daemon/core/rfc3339.hpp"
#include "daemon/state/state_store.hpp"
#include "tests/unit/state/state_fixture.hpp"

namespace psd::state {
namespace {

using testing::put_op;
using testing::remove_op;
using testing::StateTest;

TEST_F(StateTest, DonePushLeavesOutboxAndIsInSync) {
  StateStore store(state_dir());
  const auto ops = store.enqueue({put_op("A", "sha256:a", "k1"), put_op("B", "sha256:b", "k2")});
  store.record_outcomes({{.op_id = ops[0].id,
                          .kind = OutcomeKind::done,
                          .http_status = 201,
                          .reason = "",
                          .sends = 2}});  // sent twice

  const auto pending = store.pending_ops();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].code, "B");
  const auto status = store.sync_status("A");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code, "A");
  EXPECT_EQ(status->result, SyncResult::ok);
  EXPECT_EQ(status->pushed_hash, "sha256:a");
  EXPECT_EQ(status->attempts, 2);
  EXPECT_EQ(status->last_error, "");
  EXPECT_TRUE(core::is_rfc3339_timestamp(status->updated_at)) << status->updated_at;
  EXPECT_FALSE(store.sync_status("B").has_value());
}

TEST_F(StateTest, DoneWithdrawalForgetsTheService) {
  StateStore store(state_dir());
  const auto put = store.enqueue({put_op("A", "sha256:a", "k1")});
  store.record_outcomes({{put[0].id, OutcomeKind::done, 200, ""}});
  ASSERT_TRUE(store.sync_status("A").has_value());

  const auto remove = store.enqueue({remove_op("A", "k2")});
  store.record_outcomes({{remove[0].id, OutcomeKind::done, 204, ""}});
  EXPECT_FALSE(store.sync_status("A").has_value());
  EXPECT_TRUE(store.pending_ops().empty());
}

TEST_F(StateTest, RejectedPushIsParkedWithTheRejectedHashAndReason) {
  StateStore store(state_dir());
  const auto ops = store.enqueue({put_op("A", "sha256:a", "k1"), put_op("B", "sha256:b", "k2")});
  store.record_outcomes({{ops[0].id, OutcomeKind::rejected, 422, "VALIDATION: name too long"},
                         {ops[1].id, OutcomeKind::done, 200, ""}});

  EXPECT_TRUE(store.pending_ops().empty());
  const auto status = store.sync_status("A");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->result, SyncResult::rejected);
  EXPECT_EQ(status->pushed_hash, "sha256:a");
  EXPECT_EQ(status->last_error, "VALIDATION: name too long");

  const core::ParkedIndex parked = StateStore(state_dir()).load_parked();
  ASSERT_EQ(parked.size(), 1u);
  EXPECT_EQ(parked.at("A"), (core::ParkedPush{"A", "sha256:a", "VALIDATION: name too long"}));
}

TEST_F(StateTest, FailedPushStaysPendingWithItsKeyAndError) {
  StateStore store(state_dir());
  const auto ops = store.enqueue({put_op("A", "sha256:a", "k1")});
  store.record_outcomes({{.op_id = ops[0].id,
                          .kind = OutcomeKind::failed,
                          .http_status = 503,
                          .reason = "HTTP 503 after 12 attempts",
                          .sends = 1}});

  auto expected = ops;
  expected[0].attempts = 1;
  EXPECT_EQ(store.pending_ops(), expected);  // same id, key and body: resent as it was
  const auto status = store.sync_status("A");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->result, SyncResult::failed);
  EXPECT_EQ(status->last_error, "HTTP 503 after 12 attempts");
  EXPECT_EQ(raw().execAndGet("SELECT last_error FROM outbox").getString(),
            "HTTP 503 after 12 attempts");
  EXPECT_TRUE(store.load_parked().empty());
}

TEST_F(StateTest, NewContentDonePushUnparks) {
  StateStore store(state_dir());
  const auto first = store.enqueue({put_op("A", "sha256:a", "k1")});
  store.record_outcomes({{first[0].id, OutcomeKind::rejected, 400, "BAD"}});
  ASSERT_EQ(store.load_parked().size(), 1u);

  const auto second = store.enqueue({put_op("A", "sha256:fixed", "k2")});
  store.record_outcomes({{second[0].id, OutcomeKind::done, 200, ""}});
  EXPECT_TRUE(store.load_parked().empty());
  EXPECT_EQ(store.sync_status("A")->pushed_hash, "sha256:fixed");
}

TEST_F(StateTest, OutcomeOfAnOpNoLongerPendingIsIgnored) {
  StateStore store(state_dir());
  const auto old_op = store.enqueue({put_op("A", "sha256:old", "k1")});
  store.enqueue({put_op("A", "sha256:new", "k2")});  // supersedes while old_op is in flight
  store.record_outcomes({{old_op[0].id, OutcomeKind::done, 200, ""}});

  EXPECT_FALSE(store.sync_status("A").has_value());
  ASSERT_EQ(store.pending_ops().size(), 1u);
  EXPECT_EQ(store.pending_ops()[0].idempotency_key, "k2");
}

}  // namespace
}  // namespace psd::state
