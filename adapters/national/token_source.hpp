#pragma once
// OAuth 2.0 client-credentials tokens for the national portal (RFC 6749 4.4),
// kept in memory only and renewed shortly before they expire.

#include <chrono>
#include <functional>
#include <string>
#include <tl/expected.hpp>

#include "adapters/http/http_client.hpp"
#include "daemon/core/failure.hpp"
#include "daemon/engine/clock.hpp"

namespace psd::national {

/// Renew within the last 10% of a token's lifetime, at most this long before it ends.
inline constexpr std::chrono::seconds kMaxRenewMargin{60};

struct TokenOptions {
  std::string token_url;
  std::string client_id;
  std::string client_secret;
};

class TokenSource {
 public:
  /// `clock` tells when a token was issued and when to renew it.
  TokenSource(http::HttpClient& http, TokenOptions options, engine::Clock& clock);

  /// Return a token valid for a while yet, fetching a new one when needed.
  tl::expected<std::string, core::Failure> token();
  /// Forget `token` after the portal answered 401 to it (a newer one is kept).
  void invalidate(const std::string& token);
  int fetches() const { return fetches_; }
  /// Called with every answer of the token endpoint, so the national client
  /// learns its Retry-After like any other of the portal's.
  void observe(std::function<void(const http::Response&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  tl::expected<std::string, core::Failure> fetch();

  http::HttpClient& http_;
  TokenOptions options_;
  engine::Clock& clock_;
  std::string token_;
  std::chrono::steady_clock::time_point renew_at_{};
  int fetches_ = 0;
  std::function<void(const http::Response&)> observer_;
};

/// Return when to renew a token issued at `issued` for `lifetime`.
std::chrono::steady_clock::time_point renew_time(std::chrono::steady_clock::time_point issued,
                                                 std::chrono::seconds lifetime);

}  // namespace psd::national
