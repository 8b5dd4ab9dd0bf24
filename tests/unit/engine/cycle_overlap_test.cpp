// The two reads of a cycle run at once: the national listing starts while
// the catalogue is being read, and the plan waits for both.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include "tests/unit/engine/cycle_fixture.hpp"

namespace psd::engine {
namespace {

/// A guard against a hang, never a measure: a wait that reaches it means
/// the other side never came, and the test fails on what it recorded.
constexpr std::chrono::seconds kHangGuard{30};

/// Where the two reads meet: each says it started and waits for the other.
class Rendezvous {
 public:
  /// Mark `mine` started and wait for `theirs`; return whether it came.
  bool meet(bool& mine, const bool& theirs) {
    std::unique_lock lock(mutex_);
    mine = true;
    changed_.notify_all();
    return changed_.wait_for(lock, kHangGuard, [&] { return theirs; });
  }
  /// Wait until `stop` is requested; return whether it was.
  bool wait_for_stop(const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, stop, kHangGuard, [] { return false; }) || stop.stop_requested();
  }

  bool catalogue = false;
  bool listing = false;

 private:
  std::mutex mutex_;
  std::condition_variable_any changed_;
};

class CycleOverlapTest : public testing::CycleFixture {
 protected:
  void SetUp() override {
    CycleFixture::SetUp();
    add_service("A");
  }
  Rendezvous meeting_;
};

TEST_F(CycleOverlapTest, TheListingRunsWhileTheCatalogueIsBeingRead) {
  bool catalogue_saw_listing = false;
  bool listing_saw_catalogue = false;
  std::thread::id catalogue_thread;
  std::thread::id listing_thread;
  catalogue_.on_read = [&] {
    catalogue_thread = std::this_thread::get_id();
    catalogue_saw_listing = meeting_.meet(meeting_.catalogue, meeting_.listing);
  };
  portal_.on_list = [&](const std::stop_token&) {
    listing_thread = std::this_thread::get_id();
    listing_saw_catalogue = meeting_.meet(meeting_.listing, meeting_.catalogue);
  };

  const CycleReport report = cycle();

  EXPECT_TRUE(catalogue_saw_listing) << "the listing did not start while the catalogue was read";
  EXPECT_TRUE(listing_saw_catalogue) << "the catalogue was not read while the listing ran";
  EXPECT_NE(catalogue_thread, listing_thread);
  EXPECT_EQ(report.exit_code, ExitCode::in_sync);
  ASSERT_EQ(portal_.writes.size(), 1u) << "the plan used both reads";
  EXPECT_EQ(portal_.writes[0].code, "A");
}

TEST_F(CycleOverlapTest, AFailedCatalogueStopsTheListingAndPushesNothing) {
  catalogue_.failure = core::Failure{core::FailureKind::torn, "provincial catalogue: torn"};
  bool listing_stopped = false;
  portal_.on_list = [&](const std::stop_token& stop) {
    listing_stopped = meeting_.wait_for_stop(stop);
  };

  const CycleReport report = cycle();

  EXPECT_TRUE(listing_stopped) << "the listing went on after the catalogue failed";
  EXPECT_EQ(report.error, "provincial catalogue: torn") << "the catalogue's failure is reported";
  EXPECT_EQ(report.exit_code, ExitCode::listing_failed);
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_FALSE(store_->load_snapshot_header());
}

TEST_F(CycleOverlapTest, AStopDuringTheCatalogueEndsBothReadsAndPushesNothing) {
  std::stop_source stop;
  options_.stop = stop.get_token();
  bool listing_stopped = false;
  catalogue_.on_read = [&] { stop.request_stop(); };
  portal_.on_list = [&](const std::stop_token& token) {
    listing_stopped = meeting_.wait_for_stop(token);
  };

  const CycleReport report = cycle();

  EXPECT_TRUE(listing_stopped);
  EXPECT_TRUE(report.cut_short);
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_TRUE(store_->pending_ops().empty());
}

TEST_F(CycleOverlapTest, AListingThatFailsWhileTheCatalogueSucceedsPushesNothing) {
  portal_.list_failure = core::Failure{core::FailureKind::transient, "national portal: HTTP 503"};
  catalogue_.on_read = [&] { meeting_.meet(meeting_.catalogue, meeting_.listing); };
  portal_.on_list = [&](const std::stop_token&) {
    meeting_.meet(meeting_.listing, meeting_.catalogue);
  };

  const CycleReport report = cycle();

  EXPECT_EQ(report.error, "national portal: HTTP 503");
  EXPECT_EQ(report.exit_code, ExitCode::listing_failed);
  EXPECT_TRUE(portal_.writes.empty());
  EXPECT_TRUE(store_->pending_ops().empty());
  EXPECT_FALSE(store_->load_snapshot_header()) << "no snapshot is saved from a failed cycle";
}

}  // namespace
}  // namespace psd::engine
