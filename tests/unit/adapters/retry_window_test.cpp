// RetryWindow with explicit times: what it holds, what it hands its keeper.

#include "adapters/retry_window.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "adapters/retry_after.hpp"

namespace psd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using TimePoint = RetryWindow::TimePoint;

constexpr TimePoint t0 = TimePoint{} + std::chrono::hours(100);

http::Response answer(long status, std::string retry_after) {
  http::Response response;
  response.status = status;
  response.retry_after = std::move(retry_after);
  return response;
}

TEST(RetryWindow, KeepsWhatThePortalAskedForAndClearsItOncePassed) {
  RetryWindow window;
  std::vector<std::optional<TimePoint>> kept;
  window.keep_with([&](std::optional<TimePoint> until) { kept.push_back(until); });
  window.learn(answer(503, "15"), t0, std::chrono::system_clock::now());
  EXPECT_EQ(window.until(), t0 + seconds(15));
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0], t0 + seconds(15));
  window.sending(t0 + seconds(14));
  EXPECT_EQ(kept.size(), 1u) << "not passed yet";
  window.sending(t0 + seconds(15));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_FALSE(kept[1]) << "cleared once passed";
  window.sending(t0 + seconds(16));
  EXPECT_EQ(kept.size(), 2u) << "cleared once";
}

TEST(RetryWindow, OurOwnPausesAndShorterWindowsAreNotKept) {
  RetryWindow window;
  int calls = 0;
  window.keep_with([&](std::optional<TimePoint>) { ++calls; });
  window.learn(answer(429, ""), t0, std::chrono::system_clock::now());
  EXPECT_EQ(window.until(), t0 + kDefaultRateLimitPause);
  window.pause(t0, milliseconds(500));
  window.learn(answer(503, ""), t0, std::chrono::system_clock::now());
  EXPECT_EQ(calls, 0);
  window.retry_after(t0, seconds(30));
  window.retry_after(t0, seconds(3));
  EXPECT_EQ(window.until(), t0 + seconds(30)) << "a shorter window never shortens a longer one";
  EXPECT_EQ(calls, 1);
}

TEST(RetryWindow, ARestoredWindowHoldsAndIsClampedToAnHour) {
  RetryWindow window;
  window.restore(t0, t0 + std::chrono::hours(30));
  EXPECT_EQ(window.until(), t0 + kMaxRetryAfter);
  int cleared = 0;
  window.keep_with([&](std::optional<TimePoint> until) { cleared += until ? 0 : 1; });
  window.sending(t0 + kMaxRetryAfter);
  EXPECT_EQ(cleared, 1) << "a restored window is cleared once passed too";
}

TEST(RetryWindow, ATransportErrorTeachesNothing) {
  RetryWindow window;
  http::Response reset;
  reset.error = http::TransportError::reset;
  reset.retry_after = "60";
  window.learn(reset, t0, std::chrono::system_clock::now());
  EXPECT_EQ(window.until(), TimePoint{});
}

}  // namespace
}  // namespace psd
