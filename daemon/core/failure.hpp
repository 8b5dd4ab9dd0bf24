#pragma once
// Failures are values with a kind that the retry code reads; the message is
// for people and names the source, URL and page at fault.

#include <string>
#include <string_view>

namespace psd::core {

enum class FailureKind {
  transient,     ///< timeouts, resets, 5xx: try again later
  rate_limited,  ///< 429: wait (Retry-After) before the next request
  unauthorized,  ///< 401 even with a fresh token, or the token endpoint refused us
  forbidden,     ///< 403 or unknown province: a configuration error, stop pushing
  bad_response,  ///< the server answered something outside the contract
  torn,          ///< the catalogue changed while it was being read, too often
  rejected,      ///< 400/422: the portal refuses this content
  fatal,         ///< anything else that ends the cycle
};

struct Failure {
  FailureKind kind = FailureKind::fatal;
  std::string message;
};

std::string_view to_string(FailureKind kind);

}  // namespace psd::core
