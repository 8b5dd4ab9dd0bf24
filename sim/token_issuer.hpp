#pragma once
// OAuth 2.0 client-credentials token endpoint (RFC 6749 4.4) and the bearer
// check of every other national call.

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "sim/args.hpp"
#include "sim/gate.hpp"
#include "sim/ledger.hpp"
#include "sim/rng.hpp"

namespace psd::sim {

class TokenIssuer {
 public:
  TokenIssuer(const SimOptions& options, Ledger& ledger, Gate& gate);

  /// POST {national}/oauth2/token.
  void handle(const httplib::Request& req, httplib::Response& res);

  /// True when `req` carries a live bearer token; otherwise answers 401.
  bool authorize(const httplib::Request& req, httplib::Response& res);

  /// Invalidate every token issued so far (a client must fetch a new one).
  void revoke_all();

  /// Tokens issued since start.
  std::uint64_t issued() const;

 private:
  using Clock = std::chrono::steady_clock;

  std::string new_token_locked();
  void fail(httplib::Response& res, int status, std::string_view error,
            std::string_view description, bool basic_challenge);

  const SimOptions& options_;
  Ledger& ledger_;
  Gate& gate_;
  mutable std::mutex mu_;
  Rng rng_;
  std::uint64_t issued_ = 0;
  std::unordered_map<std::string, Clock::time_point> tokens_;  // token → expiry
};

}  // namespace psd::sim
