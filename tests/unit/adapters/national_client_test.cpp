// The national client against a small loopback portal whose answers each
// test scripts: token renewal on 401, cursor loops, write classification.

#include "adapters/national/national_client.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "tests/support/fake_clock.hpp"
#include "tests/unit/http/loopback_server.hpp"

namespace psd::national {
namespace {

class NationalClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server.Post(
        "/oauth2/token", [this](const httplib::Request& request, httplib::Response& response) {
          ++token_requests_;
          if (token_status_ != 200) {
            response.status = token_status_;
            response.set_header("Retry-After", "1");
            return;
          }
          if (request.body.find("client_secret=right") == std::string::npos) {
            response.status = 401;
            response.set_content(R"({"error":"invalid_client"})", "application/json");
            return;
          }
          response.set_content(R"({"access_token":"tok)" + std::to_string(token_requests_.load()) +
                                   R"(","token_type":"Bearer","expires_in":3600})",
                               "application/json");
        });
    server_.server.Get("/provinces/H43/services", [this](const httplib::Request& request,
                                                         httplib::Response& response) {
      if (unauthorized_left_ > 0) {
        --unauthorized_left_;
        response.status = 401;
        return;
      }
      ++listing_requests_;
      if (listing_failures_left_ > 0) {
        --listing_failures_left_;
        response.status = 502;
        return;
      }
      response.set_content(listing_(request.get_param_value("cursor")), "application/json");
    });
    server_.server.Put(R"(/provinces/H43/services/(.+))", [this](const httplib::Request& request,
                                                                 httplib::Response& response) {
      last_authorization_ = request.get_header_value("Authorization");
      last_key_ = request.get_header_value("Idempotency-Key");
      ++puts_;
      response.status = put_status_;
      if (!retry_after_.empty()) response.set_header("Retry-After", retry_after_);
      if (put_status_ == 429) {
        response.set_content(concurrency_limit_
                                 ? R"({"error":{"code":"CONCURRENCY_LIMIT","message":"busy"}})"
                                 : R"({"error":{"code":"RATE_LIMIT","message":"slow down"}})",
                             "application/json");
      }
      if (put_status_ == 422) {
        response.set_content(
            R"({"error":{"code":"INVALID_FIELD","message":"tên trùng","field":"name"}})",
            "application/json");
      }
    });
    server_.start();
    tokens_.emplace(http_, TokenOptions{server_.url("/oauth2/token"), "province-h43", secret_},
                    clock_);
    client_.emplace(http_, *tokens_, options(), clock_);
  }

  /// No rate limit here: the pacing is FlowControl's own test.
  NationalOptions options() const {
    NationalOptions options{.base_url = server_.url(""), .province = "H43"};
    options.flow.max_requests_per_second = 0;
    return options;
  }

  std::vector<engine::WriteResult> write_one(const std::string& code) {
    std::vector<engine::WriteResult> results;
    bool sent = false;
    client_->write(
        [&]() -> std::optional<engine::WriteRequest> {
          if (sent) return std::nullopt;
          sent = true;
          return engine::WriteRequest{.id = 7,
                                      .method = engine::WriteMethod::put,
                                      .code = code,
                                      .idempotency_key = "key-1",
                                      .body = "{}"};
        },
        [&](engine::WriteResult&& result) { results.push_back(std::move(result)); }, {}, 4);
    return results;
  }

  /// Puts S1..S<count> under keys key-1..key-<count>, and what came of them.
  struct NumberedPuts {
    std::size_t count = 0;
    std::size_t sent = 0;  ///< taken by the client so far, over every write call
    std::vector<engine::WriteResult> results{};
  };
  /// One write call with room for 8 in flight, offering the puts not yet sent.
  void write(NumberedPuts& puts) {
    client_->write(
        [&]() -> std::optional<engine::WriteRequest> {
          if (puts.sent == puts.count) return std::nullopt;
          ++puts.sent;
          return engine::WriteRequest{.id = puts.sent,
                                      .method = engine::WriteMethod::put,
                                      .code = "S" + std::to_string(puts.sent),
                                      .idempotency_key = "key-" + std::to_string(puts.sent),
                                      .body = "{}"};
        },
        [&](engine::WriteResult&& result) { puts.results.push_back(std::move(result)); }, {}, 8);
  }

  http::test::LoopbackServer server_;
  http::HttpClient http_{http::HttpOptions{}};
  /// Waits cost no time: the tests read what the client waited for.
  psd::testing::FakeClock clock_;
  std::string secret_ = "right";
  std::optional<TokenSource> tokens_;
  std::optional<NationalClient> client_;
  std::atomic<int> token_requests_{0};
  std::atomic<int> unauthorized_left_{0};
  int put_status_ = 201;
  std::string last_authorization_;
  std::string last_key_;
  std::atomic<int> puts_{0};
  std::atomic<int> listing_failures_left_{0};
  std::atomic<int> listing_requests_{0};
  int token_status_ = 200;
  std::string retry_after_;
  bool concurrency_limit_ = false;
  std::function<std::string(const std::string&)> listing_ = [](const std::string& cursor) {
    if (cursor.empty()) {
      return std::string(
          R"({"items":[{"code":"A","content_hash":"sha256:a","level":"full","integrated_at":"2024-01-01T00:00:00Z"}],"next_cursor":"p2"})");
    }
    return std::string(
        R"({"items":[{"code":"B","content_hash":"sha256:b","level":"partial","integrated_at":"2024-01-01T00:00:00Z"}],"next_cursor":null})");
  };
};

TEST_F(NationalClientTest, FollowsTheCursorToTheEnd) {
  auto mirror = client_->list();
  ASSERT_TRUE(mirror) << mirror.error().message;
  EXPECT_EQ(mirror->size(), 2u);
  EXPECT_EQ(mirror->at("B").level, core::Level::partial);
  EXPECT_EQ(token_requests_, 1) << "the token is cached between requests";
}

TEST_F(NationalClientTest, ARepeatedCursorFailsTheListing) {
  listing_ = [](const std::string&) { return std::string(R"({"items":[],"next_cursor":"same"})"); };
  auto mirror = client_->list();
  ASSERT_FALSE(mirror);
  EXPECT_EQ(mirror.error().kind, core::FailureKind::bad_response);
  EXPECT_NE(mirror.error().message.find("repeats"), std::string::npos) << mirror.error().message;
}

TEST_F(NationalClientTest, A401FetchesANewTokenAndTriesOnceMore) {
  unauthorized_left_ = 1;
  auto mirror = client_->list();
  ASSERT_TRUE(mirror) << mirror.error().message;
  EXPECT_EQ(token_requests_, 2);
}

TEST_F(NationalClientTest, A401RightAfterAFreshTokenIsAnError) {
  unauthorized_left_ = 2;
  auto mirror = client_->list();
  ASSERT_FALSE(mirror);
  EXPECT_EQ(mirror.error().kind, core::FailureKind::unauthorized);
}

TEST_F(NationalClientTest, AWrongSecretIsUnauthorizedAndTheMessageHidesIt) {
  secret_ = "wrong-s3cret";
  tokens_.emplace(http_, TokenOptions{server_.url("/oauth2/token"), "province-h43", secret_},
                  clock_);
  client_.emplace(http_, *tokens_, options(), clock_);
  auto mirror = client_->list();
  ASSERT_FALSE(mirror);
  EXPECT_EQ(mirror.error().kind, core::FailureKind::unauthorized);
  EXPECT_NE(mirror.error().message.find("invalid_client"), std::string::npos);
  EXPECT_EQ(mirror.error().message.find("wrong-s3cret"), std::string::npos);
}

TEST_F(NationalClientTest, APutCarriesTheBearerTokenAndTheKey) {
  const auto results = write_one("1.001612.000.00.00.H43");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, engine::WriteOutcome::done);
  EXPECT_EQ(results[0].id, 7u);
  EXPECT_EQ(last_authorization_, "Bearer tok1");
  EXPECT_EQ(last_key_, "key-1");
}

TEST_F(NationalClientTest, A422IsARejectionWithThePortalsReason) {
  put_status_ = 422;
  const auto results = write_one("A");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, engine::WriteOutcome::rejected);
  EXPECT_EQ(results[0].reason, "HTTP 422 INVALID_FIELD: tên trùng (field name)");
}

TEST_F(NationalClientTest, ClassifiesEveryStatusAsTheContractSays) {
  const std::vector<std::pair<int, engine::WriteOutcome>> cases = {
      {200, engine::WriteOutcome::done},  {400, engine::WriteOutcome::rejected},
      {403, engine::WriteOutcome::stop},  {404, engine::WriteOutcome::stop},
      {409, engine::WriteOutcome::retry}, {429, engine::WriteOutcome::retry},
      {500, engine::WriteOutcome::retry}, {503, engine::WriteOutcome::retry},
  };
  for (const auto& [status, outcome] : cases) {
    put_status_ = status;
    // A fresh client each time: a 429 rightly holds back the next request.
    client_.emplace(http_, *tokens_, options(), clock_);
    const auto results = write_one("A");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, outcome) << "HTTP " << status;
  }
}

TEST_F(NationalClientTest, A503WithRetryAfterHoldsBackEveryRequestToThePortal) {
  put_status_ = 503;
  retry_after_ = "2";
  const auto first = write_one("A");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].outcome, engine::WriteOutcome::retry);
  EXPECT_EQ(first[0].retry_after, std::chrono::seconds(2));
  const auto wait = client_->not_before() - clock_.steady_now();
  EXPECT_EQ(wait, std::chrono::seconds(2)) << "no time passed on the client's clock";

  // Inside the window nothing is sent: the write waits for the caller's next call.
  put_status_ = 201;
  const int puts = puts_.load();
  EXPECT_TRUE(write_one("B").empty());
  EXPECT_EQ(puts_.load(), puts);

  // The listing waits for the window too, then goes.
  ASSERT_TRUE(client_->list());
  ASSERT_FALSE(clock_.sleeps().empty());
  EXPECT_EQ(clock_.sleeps().front(), std::chrono::seconds(2));
}

TEST_F(NationalClientTest, A429FromTheTokenEndpointOpensTheWindowForEveryRequest) {
  token_status_ = 429;
  const auto results = write_one("A");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, engine::WriteOutcome::retry)
      << "a busy token endpoint is transient, not a configuration error: " << results[0].reason;
  EXPECT_GT(client_->not_before(), clock_.steady_now());
}

TEST_F(NationalClientTest, ATokenEndpointThatIsDownHoldsTheWritesInsteadOfAskingForEach) {
  token_status_ = 500;
  NumberedPuts puts{.count = 10};
  for (int call = 0; call < 3; ++call) write(puts);
  EXPECT_EQ(token_requests_.load(), 1) << "one failed fetch pauses the portal for a backoff";
  ASSERT_EQ(puts.results.size(), 1u);
  EXPECT_EQ(puts.results[0].outcome, engine::WriteOutcome::retry);
  EXPECT_GT(client_->not_before(), clock_.steady_now());
}

TEST_F(NationalClientTest, AListingPageIsRetriedOnTransientErrors) {
  listing_failures_left_ = 2;
  auto mirror = client_->list();
  ASSERT_TRUE(mirror) << mirror.error().message;
  EXPECT_EQ(mirror->size(), 2u);
  // Full jitter may draw a wait that is over before the next send is due, so
  // the tries are counted, not the sleeps.
  EXPECT_EQ(listing_requests_.load(), 4) << "two failed tries of page 1, then both pages";
  EXPECT_LE(clock_.sleeps().size(), 2u) << "at most one backoff before each new try";
}

TEST_F(NationalClientTest, AListingPageFailsAfterItsTries) {
  listing_failures_left_ = 100;
  auto mirror = client_->list();
  ASSERT_FALSE(mirror);
  EXPECT_NE(mirror.error().message.find("after 5 tries"), std::string::npos)
      << mirror.error().message;
  EXPECT_NE(mirror.error().message.find("/provinces/H43/services?limit=1000"), std::string::npos);
}

TEST_F(NationalClientTest, AConcurrencyLimitShrinksTheWindowBelowWhatWasInFlight) {
  put_status_ = 429;
  retry_after_ = "0";
  concurrency_limit_ = true;
  NumberedPuts puts{.count = 4};
  write(puts);
  ASSERT_EQ(puts.results.size(), 4u);
  EXPECT_LT(client_->flow().window(), 8u);
  EXPECT_LT(client_->flow().ceiling(), 8u);
}

}  // namespace
}  // namespace psd::national
