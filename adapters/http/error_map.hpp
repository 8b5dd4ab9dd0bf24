#pragma once
// libcurl's result codes, folded into the few kinds the retry code reads.

#include <curl/curl.h>

#include "adapters/http/http_client.hpp"

namespace psd::http::detail {

/// Whether our own write callback stopped the transfer for its body size.
enum class BodyLimit { within, exceeded };

/// Return the TransportError for `code`; `limit` tells a CURLE_WRITE_ERROR
/// caused by HttpOptions::max_body_bytes from any other write failure.
TransportError classify(CURLcode code, BodyLimit limit);

}  // namespace psd::http::detail
