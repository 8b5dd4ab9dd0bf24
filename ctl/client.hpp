#pragma once
// portal-syncctl's side of the control socket: connect, check the greeting,
// send requests, read replies and events, one JSON line at a time. Every
// failure to talk to the daemon is a value whose kind gives the exit code
// (ctl/exit.hpp).

#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "daemon/core/failure.hpp"

namespace psd::ctl {

/// A JSON object from the daemon, or why none came.
using Message = tl::expected<rapidjson::Document, core::Failure>;

class ControlClient {
 public:
  /// Connect to the daemon at `socket` and read its greeting, or say whether
  /// it is not running (transient) or not accessible (forbidden).
  static tl::expected<ControlClient, core::Failure> connect(const std::filesystem::path& socket);
  ~ControlClient();
  ControlClient(ControlClient&& other) noexcept;
  ControlClient& operator=(ControlClient&&) = delete;
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  /// The greeting: protocol, version, daemon_version, province.
  const rapidjson::Document& hello() const { return hello_; }

  /// Send `command` with `args` (an object) and return the reply to it.
  /// `pass_fd` >= 0 is passed to the daemon with the request (SCM_RIGHTS).
  Message request(const std::string& command, const rapidjson::Value& args,
                  std::optional<std::chrono::milliseconds> timeout = std::chrono::seconds(30),
                  int pass_fd = -1);
  /// Read the next line (an event); wait at most `timeout` when given.
  Message read_message(std::optional<std::chrono::milliseconds> timeout);

 private:
  ControlClient(std::filesystem::path socket, int fd) : socket_(std::move(socket)), fd_(fd) {}
  /// Read the greeting and check that it is portal-syncd's, in our version.
  tl::expected<void, core::Failure> greet();
  /// Send the first bytes of `line`, with `fd` (SCM_RIGHTS) when >= 0.
  ssize_t send_some(std::string_view line, int fd);
  tl::expected<std::string, core::Failure> read_line(
      std::optional<std::chrono::milliseconds> timeout);

  std::filesystem::path socket_;
  int fd_ = -1;
  std::string buffer_;
  std::int64_t next_id_ = 1;
  rapidjson::Document hello_;
};

/// Return the integer member "code" of a reply (control::ResultCode), or a
/// protocol failure when it has none.
tl::expected<int, core::Failure> result_code(const rapidjson::Document& reply);

/// Return the kind of failure a reply's non-zero `code` stands for:
/// forbidden when the command is not allowed to this user, else rejected.
core::FailureKind refusal_kind(int code);

}  // namespace psd::ctl
