#pragma once
// The national portal's integration API (contract section 3) behind the
// engine's NationalPortal interface, paced by FlowControl.

#include <deque>
#include <functional>
#include <string>
#include <unordered_map>

#include "adapters/http/http_client.hpp"
#include "adapters/national/flow_control.hpp"
#include "adapters/national/token_source.hpp"
#include "adapters/page_fetcher.hpp"
#include "adapters/retry_after.hpp"
#include "daemon/core/backoff.hpp"
#include "daemon/engine/clock.hpp"
#include "daemon/engine/ports.hpp"

namespace psd::national {

/// Items asked for per listing page (the portal clamps to 1..1000).
inline constexpr int kListingLimit = 1000;
/// Tries of one listing page before the listing fails: the one page policy.
inline constexpr int kListingAttempts = kPageTries;

struct NationalOptions {
  std::string base_url{};  ///< national.base_url
  std::string province{};
  FlowLimits flow{};
  core::BackoffPolicy backoff{};  ///< between tries of a listing page
};

class NationalClient final : public engine::NationalPortal, private PortalPacing {
 public:
  /// Every time it reads, waits or hands out (`not_before`) is on `clock`:
  /// give it the Clock the engine runs on, and `tokens` the same one.
  NationalClient(http::HttpClient& http, TokenSource& tokens, NationalOptions options,
                 engine::Clock& clock);

  using engine::NationalPortal::list;
  tl::expected<core::Mirror, core::Failure> list(const std::stop_token& stop) override;
  void write(const WriteSource& next, const WriteSink& done, const WriteDue& due,
             std::size_t max_in_flight) override;
  std::chrono::steady_clock::time_point not_before() const override;

  const FlowControl& flow() const { return flow_; }
  /// The portal-wide Retry-After window (to keep it across restarts).
  RetryWindow& retry_window() { return flow_.retry_window(); }

 private:
  struct Pending {
    engine::WriteRequest request{};
    std::string token{};  ///< the token it was sent with
    bool retried_401 = false;
    std::uint64_t generation = 0;  ///< FlowControl's, for its AIMD rounds
    std::size_t in_flight = 0;     ///< outstanding when it started, itself included
  };

  http::Request start(Pending pending, std::string token);
  engine::WriteResult classify(const Pending& pending, const http::Response& response);
  /// Learn what a response says about the portal's load: Retry-After, 429s.
  void learn(const http::Response& response, const Pending* pending);
  std::string services_url() const;

  // PortalPacing, for the listing's pages (PageFetcher).
  TimePoint ready_at(TimePoint now, std::size_t in_flight) override;
  std::optional<core::Failure> prepare(http::Request& request) override;
  bool learn(const http::Request& request, const http::Response& response) override;

  http::HttpClient& http_;
  TokenSource& tokens_;
  NationalOptions options_;
  engine::Clock& clock_;
  FlowControl flow_;
  std::string listing_token_;  ///< the token the listing's last page went with
  std::unordered_map<std::size_t, Pending> in_flight_;
  std::deque<Pending> reissue_;  ///< writes to send again after a 401
  std::size_t next_tag_ = 0;
};

}  // namespace psd::national
