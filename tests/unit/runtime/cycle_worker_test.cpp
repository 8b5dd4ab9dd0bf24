// CycleWorker's queue: a request covered by a waiting job joins it; a wider
// one absorbs the narrower ones. A paused worker runs nothing, so these tests
// need no Syncer.
#include "daemon/runtime/cycle_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace psd::runtime {
namespace {

CycleJob cycle(bool full = false, std::vector<std::string> codes = {}, std::string agency = {}) {
  return {
      .target = {.cache = full ? engine::CatalogueCache::ignore : engine::CatalogueCache::use_etag,
                 .only_codes = std::move(codes),
                 .only_agency = std::move(agency)},
      .reason = "test"};
}

class PausedWorker : public ::testing::Test {
 protected:
  PausedWorker()
      : worker_(
            [this] {
              ++syncer_requests_;
              return std::shared_ptr<Syncer>();
            },
            [] {}) {
    worker_.set_paused(true);
  }
  CycleWorker worker_;
  std::atomic<int> syncer_requests_{0};
};

TEST_F(PausedWorker, ASecondResyncJoinsTheWaitingOne) {
  const auto first = worker_.submit(cycle());
  const auto second = worker_.submit(cycle());
  EXPECT_NE(first, second);
  const auto queued = worker_.cancel_queued_cycles();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].ticket, first);
  EXPECT_EQ(queued[0].tickets, (std::vector<std::uint64_t>{first, second}));
  EXPECT_TRUE(queued[0].cancelled);
  EXPECT_EQ(syncer_requests_, 0) << "a paused worker runs nothing";
}

TEST_F(PausedWorker, AFullResyncAbsorbsAWaitingPlainOneAndCoversLaterOnes) {
  const auto plain = worker_.submit(cycle());
  const auto full = worker_.submit(cycle(true));
  const auto later = worker_.submit(cycle());
  const auto queued = worker_.cancel_queued_cycles();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_TRUE(queued[0].job.target.full());
  EXPECT_EQ(queued[0].ticket, full);
  EXPECT_EQ(queued[0].tickets, (std::vector<std::uint64_t>{full, plain, later}));
}

TEST_F(PausedWorker, TargetedResyncsStayApartUntilAnUnrestrictedOneAbsorbsThem) {
  const auto a = worker_.submit(cycle(false, {"A"}));
  const auto b = worker_.submit(cycle(false, {"B"}));
  const auto a_again = worker_.submit(cycle(false, {"A"}));
  const auto agency = worker_.submit(cycle(false, {}, "X"));
  EXPECT_FALSE(worker_.idle());
  {
    auto queued = worker_.cancel_queued_cycles();
    ASSERT_EQ(queued.size(), 3u);
    EXPECT_EQ(queued[0].tickets, (std::vector<std::uint64_t>{a, a_again}));
    EXPECT_EQ(queued[1].tickets, (std::vector<std::uint64_t>{b}));
    EXPECT_EQ(queued[2].tickets, (std::vector<std::uint64_t>{agency}));
  }
  EXPECT_TRUE(worker_.idle());
  const auto x = worker_.submit(cycle(false, {"A"}));
  const auto y = worker_.submit(cycle(true, {"B"}));
  const auto all = worker_.submit(cycle());
  const auto queued = worker_.cancel_queued_cycles();
  ASSERT_EQ(queued.size(), 2u) << "a plain resync does not cover a full one";
  EXPECT_EQ(queued[0].ticket, all);
  EXPECT_EQ(queued[0].tickets, (std::vector<std::uint64_t>{all, x}));
  EXPECT_EQ(queued[1].tickets, (std::vector<std::uint64_t>{y}));
}

TEST_F(PausedWorker, ShutdownCancelsTheQueueAndEndsTheThread) {
  const auto ticket = worker_.submit(cycle());
  worker_.shutdown();
  for (int i = 0; i < 500 && !worker_.exited(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(worker_.exited());
  const auto finished = worker_.take_finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].ticket, ticket);
  EXPECT_TRUE(finished[0].cancelled);
}

}  // namespace
}  // namespace psd::runtime
