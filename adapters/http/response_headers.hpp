#pragma once
// The few response headers the portals' clients read, picked from libcurl's raw header lines.

#include <string_view>

#include "adapters/http/http_client.hpp"

namespace psd::http::detail {

/// Record `line` (one raw header line, CRLF included) into `response`: ETag,
/// X-Catalogue-Version, Retry-After and Content-Type, names matched
/// case-insensitively, values trimmed. A status line starts a new response
/// (after 100 Continue or a redirect), so only the final response's headers remain.
void capture_header_line(std::string_view line, Response& response);

}  // namespace psd::http::detail
