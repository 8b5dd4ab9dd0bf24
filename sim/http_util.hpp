#pragma once
// Small HTTP helpers shared by the simulator's APIs.

#include <httplib.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/ledger.hpp"
#include "sim/numbers.hpp"  // parse_int, for the query parameters

namespace psd::sim {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";

/// {"error":{"code","message","field"?}} — the contract's error body.
std::string error_body(std::string_view code, std::string_view message,
                       std::string_view field = {});

/// Set status, content type and an error body.
void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message,
                std::string_view field = {});

/// Answer 400 to a malformed request and count it as an invalid request.
void refuse_bad_request(Ledger& ledger, httplib::Response& res, std::string_view code,
                        std::string_view message, std::string_view field = {});

/// Answer 200 with an HTML page, as a gateway's maintenance or login page
/// would: what a client must refuse to parse as JSON.
void send_html_page(httplib::Response& res);

/// Set status and a JSON body.
void send_json(httplib::Response& res, int status, const std::string& body);

/// Decode application/x-www-form-urlencoded text ('+' is a space). nullopt on
/// a malformed %-escape.
std::optional<std::string> form_decode(std::string_view text);

/// Parse a form body into name → values; nullopt when malformed.
std::optional<std::multimap<std::string, std::string>> parse_form(std::string_view body);

/// Decode standard base64 (padding optional); nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);

/// The credentials of an "Authorization: <scheme> <credentials>" header when the
/// scheme matches case-insensitively; nullopt otherwise.
std::optional<std::string> auth_credentials(const httplib::Request& req, std::string_view scheme);

/// True when `text` is 1..max bytes of printable ASCII (0x20..0x7E).
bool printable_ascii(std::string_view text, std::size_t max);

/// True when `text` is 1..64 characters of [A-Za-z0-9._-].
bool valid_code(std::string_view text);

/// Sleep for `ms` milliseconds when positive.
void sleep_ms(std::int64_t ms);

}  // namespace psd::sim
