// While writes are in flight and the engine has none to give, the national
// client waits: for a completion, or for the engine's next retry to be due.
// It never asks the engine again and again in a loop. Real clock, real
// loopback server, because the wait is curl's own.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "adapters/national/national_client.hpp"
#include "daemon/engine/clock.hpp"
#include "tests/unit/http/loopback_server.hpp"

namespace psd::national {
namespace {

using std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

class WriteWaitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server.Post("/oauth2/token", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(R"({"access_token":"tok","token_type":"Bearer","expires_in":3600})",
                           "application/json");
    });
    // A is held until B arrives, or for `hold_`; B is answered at once.
    server_.server.Put(R"(/provinces/H43/services/(.+))",
                       [this](const httplib::Request& request, httplib::Response& response) {
                         std::unique_lock lock(mutex_);
                         if (request.matches[1] == "B") {
                           b_arrived_ = true;
                           arrived_.notify_all();
                         } else {
                           arrived_.wait_for(lock, hold_, [this] { return b_arrived_; });
                           b_came_while_a_was_held_ = b_arrived_;
                         }
                         response.status = 201;
                       });
    server_.start();
    tokens_.emplace(http_, TokenOptions{server_.url("/oauth2/token"), "province-h43", "s"}, clock_);
    NationalOptions options{.base_url = server_.url(""), .province = "H43"};
    options.flow.max_requests_per_second = 0;
    client_.emplace(http_, *tokens_, options, clock_);
  }

  static engine::WriteRequest put(std::size_t id, const std::string& code) {
    return engine::WriteRequest{.id = id,
                                .method = engine::WriteMethod::put,
                                .code = code,
                                .idempotency_key = "key-" + code,
                                .body = "{}"};
  }

  http::test::LoopbackServer server_;
  http::HttpClient http_{http::HttpOptions{}};
  engine::SystemClock clock_;
  std::optional<TokenSource> tokens_;
  std::optional<NationalClient> client_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  milliseconds hold_{300};
  bool b_arrived_ = false;
  bool b_came_while_a_was_held_ = false;
};

TEST_F(WriteWaitTest, TheLastWriteInFlightIsWaitedForNotPolled) {
  int asked = 0;
  int done = 0;
  client_->write(
      [&]() -> std::optional<engine::WriteRequest> {
        return ++asked == 1 ? std::optional(put(1, "A")) : std::nullopt;
      },
      [&](engine::WriteResult&&) { ++done; }, [] { return std::optional<TimePoint>(); }, 4);
  EXPECT_EQ(done, 1);
  // Asked again after each event on A's connection (5 here, a few more
  // under a sanitizer); a loop asking while A is held (300 ms) asked
  // 255,743 times.
  EXPECT_LE(asked, 50);
}

TEST_F(WriteWaitTest, ARetryDueWhileAWriteIsInFlightGoesWhenDue) {
  // Shorter than the transport's longest wait (1 s): a client that ignored
  // the due time would send B only after A's completion.
  {
    // The handlers run on the server's threads; a request is no lock that TSan sees.
    const std::lock_guard lock(mutex_);
    hold_ = milliseconds(900);
  }
  const TimePoint due = clock_.steady_now() + milliseconds(30);
  int asked = 0;
  bool b_sent = false;
  int done = 0;
  client_->write(
      [&]() -> std::optional<engine::WriteRequest> {
        if (++asked == 1) return put(1, "A");
        if (b_sent || clock_.steady_now() < due) return std::nullopt;
        b_sent = true;
        return put(2, "B");
      },
      [&](engine::WriteResult&&) { ++done; },
      [&] { return b_sent ? std::optional<TimePoint>() : std::optional(due); }, 4);
  EXPECT_EQ(done, 2);
  const std::lock_guard lock(mutex_);
  EXPECT_TRUE(b_came_while_a_was_held_) << "B went out only after A completed";
  // 9 to 11 here; a loop asked 24,311 times in the 30 ms before B was due.
  EXPECT_LE(asked, 100) << "asked in a loop while waiting";
}

}  // namespace
}  // namespace psd::national
