#pragma once
// Failures are values with a kind that the retry code reads; the message is
// for people and names the source, URL and page (or file, key, record) at
// fault. The project's one error type: every runtime failure and every parse
// of outside input returns tl::expected<T, Failure> (ARCHITECTURE.md, "Errors").

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace psd::core {

enum class FailureKind {
  transient,     ///< timeouts, resets, 5xx: try again later
  rate_limited,  ///< 429: wait (Retry-After) before the next request
  unauthorized,  ///< 401 even with a fresh token, or the token endpoint refused us
  forbidden,     ///< 403 or unknown province: a configuration error, stop pushing
  bad_response,  ///< the server answered something outside the contract
  torn,          ///< the catalogue changed while it was being read, too often
  rejected,      ///< 400/422: the portal refuses this content
  invalid,       ///< an argument, request or value breaks its rules: nothing to retry
  fatal,         ///< anything else that ends the cycle
};

struct Failure {
  FailureKind kind = FailureKind::fatal;
  std::string message;
};

std::string_view to_string(FailureKind kind);

/// Return a failure of `kind` saying `message`, as a function returning
/// tl::expected<T, Failure> returns it.
inline tl::unexpected<Failure> failure(FailureKind kind, std::string message) {
  return tl::unexpected(Failure{kind, std::move(message)});
}

}  // namespace psd::core
