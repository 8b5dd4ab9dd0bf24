#pragma once
// A response body parsed as JSON, strictly: invalid UTF-8 fails the body.

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace psd {

/// Parse `body` into `document`; return "not valid JSON: <why> at byte N" on failure.
tl::expected<void, std::string> parse_json_body(std::string_view body,
                                                rapidjson::Document& document);

}  // namespace psd
