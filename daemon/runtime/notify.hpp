#pragma once
// systemd's service notification protocol (sd_notify), for Type=notify.
// Without $NOTIFY_SOCKET every call does nothing, so the daemon runs the
// same in a terminal.

#include <chrono>
#include <optional>
#include <string_view>

namespace psd::runtime {

class SystemdNotifier {
 public:
  /// READY=1 with a STATUS= line: the config is valid and state.db is open.
  void ready(std::string_view status);
  /// STATUS=…: one line for `systemctl status`.
  void status(std::string_view status);
  /// RELOADING=1: a reload started; ready() ends it.
  void reloading();
  /// STOPPING=1: shutdown started.
  void stopping(std::string_view status);
  /// WATCHDOG=1: the main loop is alive.
  void watchdog();

  /// Return how often to send WATCHDOG=1 (half of WatchdogSec), or nothing
  /// when the service manager does not watch this process.
  static std::optional<std::chrono::milliseconds> watchdog_interval();

 private:
  void send(std::string_view message);
  bool warned_ = false;
};

}  // namespace psd::runtime
