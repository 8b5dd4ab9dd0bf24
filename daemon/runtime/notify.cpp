#include "daemon/runtime/notify.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstring>
#include <string>

namespace psd::runtime {

void SystemdNotifier::send(std::string_view message) {
  const std::string text(message);
  const int sent = sd_notify(0, text.c_str());
  if (sent < 0 && !warned_) {
    warned_ = true;  // once: a broken NOTIFY_SOCKET must not flood the log
    spdlog::warn("sd_notify to $NOTIFY_SOCKET failed: {}", std::strerror(-sent));
  }
}

void SystemdNotifier::ready(std::string_view status) {
  send("READY=1\nSTATUS=" + std::string(status));
}

void SystemdNotifier::status(std::string_view status) { send("STATUS=" + std::string(status)); }

void SystemdNotifier::reloading() { send("RELOADING=1\nSTATUS=reloading the configuration"); }

void SystemdNotifier::stopping(std::string_view status) {
  send("STOPPING=1\nSTATUS=" + std::string(status));
}

void SystemdNotifier::watchdog() { send("WATCHDOG=1"); }

std::optional<std::chrono::milliseconds> SystemdNotifier::watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  const auto half = std::chrono::microseconds(usec / 2);
  return std::max<std::chrono::milliseconds>(
      std::chrono::duration_cast<std::chrono::milliseconds>(half), std::chrono::milliseconds(1));
}

}  // namespace psd::runtime
