#pragma once
// portal-syncctl's side of the control socket: connect, check the greeting,
// send requests, read replies and events, one JSON line at a time.

#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace psd::ctl {

/// A failure to talk to the daemon, with the exit code it maps to.
class ClientError : public std::runtime_error {
 public:
  ClientError(const std::string& message, int exit_code)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

class ControlClient {
 public:
  /// Connect to the daemon at `socket` and read its greeting. Throw
  /// ClientError saying whether it is not running or not accessible.
  explicit ControlClient(const std::filesystem::path& socket);
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  /// The greeting: protocol, version, daemon_version, province.
  const rapidjson::Document& hello() const { return hello_; }

  /// Send `command` with `args` (an object) and return the reply to it.
  /// `pass_fd` >= 0 is passed to the daemon with the request (SCM_RIGHTS).
  rapidjson::Document request(
      const std::string& command, const rapidjson::Value& args,
      std::optional<std::chrono::milliseconds> timeout = std::chrono::seconds(30),
      int pass_fd = -1);
  /// Read the next line (an event); wait at most `timeout` when given.
  rapidjson::Document read_message(std::optional<std::chrono::milliseconds> timeout);

 private:
  /// Send the first bytes of `line`, with `fd` (SCM_RIGHTS) when >= 0.
  ssize_t send_some(std::string_view line, int fd);
  std::string read_line(std::optional<std::chrono::milliseconds> timeout);

  std::filesystem::path socket_;
  int fd_ = -1;
  std::string buffer_;
  std::int64_t next_id_ = 1;
  rapidjson::Document hello_;
};

}  // namespace psd::ctl
