// run(): the in-flight cap, pulling from the source as slots free and after
// each sink call, and keep-alive connections shared with perform().

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/http_client.hpp"
#include "tests/unit/http/loopback_server.hpp"

namespace psd::http {
namespace {

using namespace std::chrono_literals;

// Counts handlers running at once. Each waits (bounded) until `target` have
// been seen together, so reaching the cap does not depend on timing, then
// lingers so that one request over the cap would overlap and be counted.
class ConcurrencyGauge {
 public:
  explicit ConcurrencyGauge(std::size_t target) : target_(target) {}

  void hold() {
    std::unique_lock lock(mutex_);
    peak_ = std::max(peak_, ++now_);
    changed_.notify_all();
    changed_.wait_for(lock, 2s, [this] { return peak_ >= target_; });
    lock.unlock();
    std::this_thread::sleep_for(20ms);
    lock.lock();
    --now_;
  }

  std::size_t peak() {
    std::lock_guard lock(mutex_);
    return peak_;
  }

 private:
  const std::size_t target_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t now_ = 0;
  std::size_t peak_ = 0;
};

// A source handing out what is queued; the sink may queue more.
struct Queue {
  std::deque<Request> pending;
  std::optional<Request> operator()() {
    if (pending.empty()) {
      return std::nullopt;
    }
    Request next = std::move(pending.front());
    pending.pop_front();
    return next;
  }
};

class HttpClientRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server.Get("/work",
                       [this](const httplib::Request& request, httplib::Response& response) {
                         server_.note(request);
                         gauge_.hold();
                         response.set_content("done", "text/plain");
                       });
    server_.server.Get("/item",
                       [this](const httplib::Request& request, httplib::Response& response) {
                         server_.note(request);
                         response.set_content(request.get_param_value("n"), "text/plain");
                       });
    server_.start();
  }

  Queue requests(const std::string& path, std::size_t count) {
    Queue queue;
    for (std::size_t i = 0; i < count; ++i) {
      queue.pending.push_back(test::make_request(
          Method::get, server_.url(path + "?n=" + std::to_string(i)), {}, "", i));
    }
    return queue;
  }

  static HttpOptions options() {
    HttpOptions options;
    options.timeout = 10s;  // only so a broken build fails instead of hanging
    return options;
  }

  static constexpr std::size_t kCap = 4;
  test::LoopbackServer server_;
  ConcurrencyGauge gauge_{kCap};
};

TEST_F(HttpClientRunTest, ReachesButNeverExceedsMaxInFlight) {
  HttpClient client(options());
  Queue queue = requests("/work", 6 * kCap);
  // Client side: requests pulled but not yet sunk. Server side: the gauge.
  std::size_t outstanding = 0;
  std::size_t most_outstanding = 0;
  std::size_t delivered = 0;

  client.run(
      [&] {
        std::optional<Request> next = queue();
        if (next) {
          most_outstanding = std::max(most_outstanding, ++outstanding);
        }
        return next;
      },
      [&](Request&& request, Response&& response) {
        EXPECT_TRUE(response.ok()) << response.error_message;
        EXPECT_EQ(response.tag, request.tag);
        --outstanding;
        ++delivered;
      },
      kCap);

  EXPECT_EQ(delivered, 6 * kCap);
  EXPECT_EQ(most_outstanding, kCap);
  EXPECT_EQ(gauge_.peak(), kCap);
}

TEST_F(HttpClientRunTest, PullsARetryTheSinkEnqueued) {
  HttpClient client(options());
  Queue source = requests("/item", 10);
  std::multiset<std::size_t> tags;
  bool retried = false;

  client.run(
      std::ref(source),
      [&](Request&& request, Response&& response) {
        EXPECT_EQ(response.body, request.url.substr(request.url.find("n=") + 2));
        tags.insert(response.tag);
        if (request.tag == 3 && !retried) {
          retried = true;
          request.tag = 1003;
          source.pending.push_back(std::move(request));
        }
      },
      kCap);

  EXPECT_EQ(tags.size(), 11u);
  EXPECT_EQ(tags.count(3), 1u);
  EXPECT_EQ(tags.count(1003), 1u);
  EXPECT_EQ(server_.requests(), 11u);
}

TEST_F(HttpClientRunTest, AsksTheSourceAgainAfterEachSinkCall) {
  // The source is empty whenever nothing has completed: only the sink feeds it.
  HttpClient client(options());
  Queue source = requests("/item", 1);
  std::vector<std::size_t> order;

  client.run(
      std::ref(source),
      [&](Request&&, Response&& response) {
        order.push_back(response.tag);
        if (order.size() < 5) {
          source.pending.push_back(
              test::make_request(Method::get, server_.url("/item?n=x"), {}, "", order.size()));
        }
      },
      kCap);

  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
}

TEST_F(HttpClientRunTest, EndsAtOnceWhenTheSourceIsEmpty) {
  HttpClient client(options());
  int calls = 0;
  client.run([] { return std::optional<Request>(); }, [&](Request&&, Response&&) { ++calls; },
             kCap);
  EXPECT_EQ(calls, 0);
}

TEST_F(HttpClientRunTest, ZeroMaxInFlightStillSendsOneAtATime) {
  HttpClient client(options());
  Queue source = requests("/item", 3);
  int calls = 0;
  client.run(
      std::ref(source), [&](Request&&, Response&&) { ++calls; }, 0);
  EXPECT_EQ(calls, 3);
}

TEST_F(HttpClientRunTest, SequentialPerformsReuseOneConnection) {
  HttpClient client(options());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(client.perform(test::make_request(Method::get, server_.url("/item?n=1"))).ok());
  }
  EXPECT_EQ(server_.requests(), 50u);
  EXPECT_EQ(server_.connections(), 1u);
}

TEST_F(HttpClientRunTest, RunReusesAtMostCapConnections) {
  HttpClient client(options());
  Queue source = requests("/item", 100);
  client.run(
      std::ref(source), [](Request&&, Response&& response) { EXPECT_TRUE(response.ok()); }, kCap);
  EXPECT_EQ(server_.requests(), 100u);
  EXPECT_LE(server_.connections(), kCap);
}

TEST_F(HttpClientRunTest, PerformAndRunShareConnections) {
  HttpClient client(options());
  ASSERT_TRUE(client.perform(test::make_request(Method::get, server_.url("/item?n=1"))).ok());
  Queue source = requests("/item", 40);
  client.run(
      std::ref(source), [](Request&&, Response&&) {}, kCap);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(client.perform(test::make_request(Method::get, server_.url("/item?n=2"))).ok());
  }
  EXPECT_EQ(server_.requests(), 51u);
  EXPECT_LE(server_.connections(), kCap);
}

TEST_F(HttpClientRunTest, SinkMayPerformOnTheSameClient) {
  HttpClient client(options());
  Queue source = requests("/item", 8);
  std::set<std::size_t> tags;
  std::optional<Response> nested;

  client.run(
      std::ref(source),
      [&](Request&&, Response&& response) {
        tags.insert(response.tag);
        if (!nested) {
          nested = client.perform(
              test::make_request(Method::get, server_.url("/item?n=nested"), {}, "", 99));
        }
      },
      2);

  ASSERT_TRUE(nested.has_value());
  EXPECT_TRUE(nested->ok()) << nested->error_message;
  EXPECT_EQ(nested->body, "nested");
  EXPECT_EQ(nested->tag, 99u);
  EXPECT_EQ(tags, (std::set<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST_F(HttpClientRunTest, ClientStaysUsableAfterTheSinkThrows) {
  HttpClient client(options());
  Queue source = requests("/item", 20);

  EXPECT_THROW(client.run(
                   std::ref(source),
                   [](Request&&, Response&&) { throw std::runtime_error("sink failed"); }, kCap),
               std::runtime_error);

  const Response after =
      client.perform(test::make_request(Method::get, server_.url("/item?n=after")));
  EXPECT_TRUE(after.ok()) << after.error_message;
  EXPECT_EQ(after.body, "after");
}

}  // namespace
}  // namespace psd::http
