#pragma once
// The control socket's wire protocol, shared by the daemon and portal-syncctl.
//
// Line-delimited JSON over a unix stream socket, one object per line:
//   server → client, once, first: {"type":"hello","protocol":"portal-syncd-control",
//                                  "version":1,"daemon_version":"…","province":"…"}
//   client → server:              {"id":7,"command":"resync","args":{"full":true}}
//   server → client:              {"type":"reply","id":7,"code":0,"status":"ok","result":{…}}
//                                 {"type":"reply","id":7,"code":3,"status":"invalid_argument",
//                                  "error":"…"}
//   server → client, after a reply to a request with "wait": true:
//                                 {"type":"progress","cycle":12,"done":40,"total":166}
//                                 {"type":"finished","cycle":12,"result":"ok","exit_code":0,…}
// A peer that is not allowed gets one reply with code not_allowed (id null)
// instead of the greeting, and is disconnected.

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "daemon/core/failure.hpp"

namespace psd::control {

inline constexpr std::string_view kProtocolName = "portal-syncd-control";
/// Raised when a message changes incompatibly; a client refuses other versions.
inline constexpr int kProtocolVersion = 1;
/// A line longer than this is a protocol error (the requests are small).
inline constexpr std::size_t kMaxLineBytes = std::size_t{64} * 1024;

/// The fixed result codes of a reply. Never renumber: clients match on them.
enum class ResultCode : int {
  ok = 0,
  bad_request = 1,       ///< not a JSON object with a "command" string
  unknown_command = 2,   ///< no command of that name (see list-commands)
  invalid_argument = 3,  ///< an argument is missing, unknown or of the wrong type
  refused = 4,           ///< not now: paused, stopping, or nothing to do
  failed = 5,            ///< the command ran and failed (the error says why)
  not_allowed = 6,       ///< the peer's uid/gid may not use this socket
};

/// Return the word for `code` ("ok", "bad_request", …).
std::string_view to_string(ResultCode code);
/// Return the code for `word`, or nothing.
std::optional<ResultCode> result_code_from_string(std::string_view word);

/// A request as the server sees it.
struct Request {
  std::int64_t id = 0;
  std::string command;
  rapidjson::Document args;  ///< an object; empty object when absent
};

/// Why a line is not a request (kind invalid), and the id to answer it under
/// (0 when the line has none).
struct BadRequest {
  std::int64_t id = 0;
  core::Failure failure;
};

/// Parse one request line, or say why it is not a request.
tl::expected<Request, BadRequest> parse_request(std::string_view line);

using Allocator = rapidjson::Document::AllocatorType;
/// Return `text` as a JSON string, copied into `alloc`.
rapidjson::Value json_string(std::string_view text, Allocator& alloc);
/// Return `texts` as a JSON array of strings, copied into `alloc`.
rapidjson::Value json_strings(const std::vector<std::string>& texts, Allocator& alloc);

/// Return a serialised JSON value of `document` (one line, no newline).
std::string to_line(const rapidjson::Value& value);

/// Build the greeting line (without newline).
std::string hello_line(std::string_view daemon_version, std::string_view province);

/// Build a reply line with a result object (without newline).
std::string reply_line(std::int64_t id, const rapidjson::Value& result);
/// Build an error reply line (without newline); `id` < 0 writes null.
std::string error_line(std::int64_t id, ResultCode code, std::string_view error);

}  // namespace psd::control
