// StateStore::requeue_parked on a real state.db.
#include <gtest/gtest.h>

#include "daemon/state/state_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::state {
namespace {

OutboxOp put(const std::string& code) {
  OutboxOp op;
  op.code = code;
  op.content_hash = "sha256:" + code;
  op.idempotency_key = "key-" + code;
  op.body = "{}";
  return op;
}

class Requeue : public ::testing::Test {
 protected:
  Requeue() : store_(dir_.file("state")) {
    const auto ops = store_.enqueue({put("R1"), put("R2"), put("F"), put("OK")});
    std::vector<PushOutcome> outcomes;
    for (const auto& op : ops) {
      const auto kind = op.code[0] == 'R'   ? OutcomeKind::rejected
                        : op.code[0] == 'F' ? OutcomeKind::failed
                                            : OutcomeKind::done;
      outcomes.push_back({op.id, kind, kind == OutcomeKind::done ? 200 : 422, "HTTP 422 BAD", 1});
    }
    store_.record_outcomes(outcomes);
  }
  psd::testing::TempDir dir_;
  StateStore store_;
};

TEST_F(Requeue, AllWithoutArgumentsUnparksRejectsAndReportsFailedPushes) {
  ASSERT_EQ(store_.load_parked().size(), 2u);
  const RequeueResult result = store_.requeue_parked({});
  EXPECT_EQ(result.rejected, (std::vector<std::string>{"R1", "R2"}));
  EXPECT_EQ(result.failed, (std::vector<std::string>{"F"}));
  EXPECT_TRUE(result.not_parked.empty());
  EXPECT_TRUE(store_.load_parked().empty()) << "the next plan pushes them again";
  const auto status = store_.sync_status("R1");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->result, SyncResult::failed);
  EXPECT_NE(status->last_error.find("re-queued by an operator"), std::string::npos);
  EXPECT_NE(status->last_error.find("HTTP 422 BAD"), std::string::npos);
  EXPECT_EQ(store_.pending_ops().size(), 1u) << "the failed push keeps its op and key";
}

TEST_F(Requeue, NamedCodesOnlyAndUnknownOnesReported) {
  const RequeueResult result = store_.requeue_parked({{"R2", "OK", "NOPE"}, false, false});
  EXPECT_EQ(result.rejected, (std::vector<std::string>{"R2"}));
  EXPECT_TRUE(result.failed.empty());
  EXPECT_EQ(result.not_parked, (std::vector<std::string>{"OK", "NOPE"}));
  EXPECT_EQ(store_.load_parked().count("R1"), 1u);
  EXPECT_EQ(store_.load_parked().count("R2"), 0u);
}

TEST_F(Requeue, FailedOnlyChangesNothing) {
  const RequeueResult result = store_.requeue_parked({.failed = true});
  EXPECT_TRUE(result.rejected.empty());
  EXPECT_EQ(result.failed, (std::vector<std::string>{"F"}));
  EXPECT_EQ(store_.load_parked().size(), 2u);
}

}  // namespace
}  // namespace psd::state
