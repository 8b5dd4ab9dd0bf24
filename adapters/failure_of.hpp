#pragma once
// Turn a failed HTTP exchange into a Failure whose kind the engine reads.

#include <string>
#include <string_view>

#include "adapters/http/http_client.hpp"
#include "daemon/core/failure.hpp"

namespace psd {

/// Return the failure of `request` answered by `response` (a transport error
/// or a status outside 2xx), its message naming `source`, the method and URL,
/// and the server's error code when its body carries one. Never header values.
core::Failure failure_of(std::string_view source, const http::Request& request,
                         const http::Response& response);

/// Return "CODE: message (field F)" from a contract error body
/// `{"error": {"code", "message", "field"?}}` or an RFC 6749 body
/// `{"error": "invalid_client"}`; empty when the body is neither.
std::string error_summary(std::string_view body);

}  // namespace psd
