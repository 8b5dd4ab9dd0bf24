// StateStore: the outbox keeps a push's key until the push is finished.
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <thread>

#include "daemon/state/state_store.hpp"
#include "tests/unit/state/state_fixture.hpp"

namespace psd::state {
namespace {

using testing::put_op;
using testing::remove_op;
using testing::StateTest;

TEST_F(StateTest, EnqueueReturnsPendingOpsOldestFirst) {
  StateStore store(state_dir());
  store.enqueue({put_op("B", "sha256:b", "kb", R"({"code":"B"})")});
  const auto ops = store.enqueue({put_op("A", "sha256:a", "ka"), remove_op("C", "kc")});

  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].code, "B");
  EXPECT_EQ(ops[0].body, R"({"code":"B"})");
  EXPECT_EQ(ops[1].code, "A");
  EXPECT_EQ(ops[2].code, "C");
  EXPECT_EQ(ops[2].kind, OpKind::remove);
  EXPECT_LT(ops[0].id, ops[1].id);
  EXPECT_LT(ops[1].id, ops[2].id);
  EXPECT_EQ(store.pending_ops(), ops);
}

// The crash-safety property: after a restart the plan yields the same push with
// a fresh key, and the outbox answers with the key (and body) first committed.
TEST_F(StateTest, IdenticalPendingOpKeepsItsKeyAcrossARestart) {
  OutboxOp first;
  {
    StateStore store(state_dir());
    first = store.enqueue({put_op("A", "sha256:a", "key-before-crash", "body-1")}).at(0);
    // Sent and timed out once (the portal may hold it), then the daemon died.
    store.record_outcomes(
        {{.op_id = first.id, .kind = OutcomeKind::failed, .reason = "timeout", .sends = 1}});
  }
  StateStore store(state_dir());
  const auto ops = store.enqueue({put_op("A", "sha256:a", "key-after-restart", "body-2")});

  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].id, first.id);
  EXPECT_EQ(ops[0].idempotency_key, "key-before-crash");
  EXPECT_EQ(ops[0].body, "body-1");  // the same key with another body would be a 422
  EXPECT_EQ(ops[0].attempts, 1);
}

TEST_F(StateTest, OtherContentSupersedesThePendingOp) {
  StateStore store(state_dir());
  const OutboxOp old_op = store.enqueue({put_op("A", "sha256:old", "k1")}).at(0);
  const auto ops = store.enqueue({put_op("A", "sha256:new", "k2")});

  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].content_hash, "sha256:new");
  EXPECT_EQ(ops[0].idempotency_key, "k2");
  EXPECT_GT(ops[0].id, old_op.id);
}

TEST_F(StateTest, WithdrawalSupersedesPendingPutOfTheSameCode) {
  StateStore store(state_dir());
  store.enqueue({put_op("A", "sha256:a", "k1"), put_op("B", "sha256:b", "k2")});
  const auto ops = store.enqueue({remove_op("A", "k3")});

  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].code, "B");
  EXPECT_EQ(ops[1].code, "A");
  EXPECT_EQ(ops[1].kind, OpKind::remove);
  EXPECT_EQ(ops[1].idempotency_key, "k3");
}

TEST_F(StateTest, LaterOpInOneBatchWins) {
  StateStore store(state_dir());
  const auto ops = store.enqueue({put_op("A", "sha256:1", "k1"), put_op("A", "sha256:2", "k2")});
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].idempotency_key, "k2");
}

TEST_F(StateTest, DropPendingDeletesOnlyTheCodesGiven) {
  StateStore store(state_dir());
  store.enqueue({put_op("A", "sha256:a", "k1"), put_op("B", "sha256:b", "k2"),
                 put_op("C", "sha256:c", "k3")});
  store.drop_pending({"A", "C", "not-pending"});
  const auto ops = store.pending_ops();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].code, "B");
}

TEST_F(StateTest, FailedOutcomesAddTheirSendsToTheAttempts) {
  StateStore store(state_dir());
  const auto ops = store.enqueue({put_op("A", "sha256:a", "k1"), put_op("B", "sha256:b", "k2")});
  const auto failed = [](std::int64_t id, int sends) {
    return PushOutcome{
        .op_id = id, .kind = OutcomeKind::failed, .reason = "HTTP 503", .sends = sends};
  };
  store.record_outcomes(
      {failed(ops[0].id, 2), failed(ops[1].id, 1), failed(9999, 1)});  // 9999: gone
  store.record_outcomes({failed(ops[0].id, 3)});
  const auto after = store.pending_ops();
  EXPECT_EQ(after[0].attempts, 5);
  EXPECT_EQ(after[1].attempts, 1);
}

// The cycle worker records outcomes while the event loop's control commands
// write (requeue) and read: two transactions at once on one connection would
// be an SQLite error.
TEST_F(StateTest, CallsFromSeveralThreadsAreSerialised) {
  StateStore store(state_dir());
  const std::int64_t id = store.enqueue({put_op("A", "sha256:a", "k0")}).at(0).id;
  constexpr int kRounds = 200;
  std::string worker_error;
  std::thread worker([&] {
    try {
      for (int i = 0; i < kRounds; ++i) {
        store.record_outcomes({{.op_id = id,
                                .kind = OutcomeKind::failed,
                                .http_status = 503,
                                .reason = "HTTP 503",
                                .sends = 1}});
      }
    } catch (const std::exception& e) {
      worker_error = e.what();
    }
  });
  std::string loop_error;
  try {
    for (int i = 1; i <= kRounds; ++i) {
      store.enqueue({put_op("B", "sha256:" + std::to_string(i), "k" + std::to_string(i))});
      store.history(10);
    }
  } catch (const std::exception& e) {
    loop_error = e.what();
  }
  worker.join();
  EXPECT_EQ(worker_error, "");
  EXPECT_EQ(loop_error, "");
  EXPECT_EQ(store.pending_ops().at(0).attempts, kRounds);
}

}  // namespace
}  // namespace psd::state
