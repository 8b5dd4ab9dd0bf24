#pragma once
// The national portal's integration API (contract section 3) behind the
// engine's NationalPortal interface.

#include <deque>
#include <string>
#include <unordered_map>

#include "adapters/http/http_client.hpp"
#include "adapters/national/token_source.hpp"
#include "daemon/engine/ports.hpp"

namespace psd::national {

/// Items asked for per listing page (the portal clamps to 1..1000).
inline constexpr int kListingLimit = 1000;
/// The longest Retry-After honoured as given; longer ones are clamped.
inline constexpr std::chrono::seconds kMaxRetryAfter{3600};

struct NationalOptions {
  std::string base_url;  ///< national.base_url
  std::string province;
};

class NationalClient final : public engine::NationalPortal {
 public:
  NationalClient(http::HttpClient& http, TokenSource& tokens, NationalOptions options);

  tl::expected<core::Mirror, core::Failure> list() override;
  void write(const WriteSource& next, const WriteSink& done, std::size_t max_in_flight) override;

 private:
  struct Pending {
    engine::WriteRequest request;
    std::string token;  ///< the token it was sent with
    bool retried_401 = false;
  };
  http::Request start(Pending pending, std::string token);
  engine::WriteResult classify(const Pending& pending, const http::Response& response);
  http::Response get_with_token(const std::string& url, const http::Request& shape);
  std::string services_url() const;

  http::HttpClient& http_;
  TokenSource& tokens_;
  NationalOptions options_;
  std::unordered_map<std::size_t, Pending> in_flight_;
  std::deque<Pending> reissue_;  ///< writes to send again after a 401
  std::size_t next_tag_ = 0;
};

/// Parse a Retry-After value given in seconds; nothing when absent or not a number.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);

}  // namespace psd::national
