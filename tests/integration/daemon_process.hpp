#pragma once
// portal-syncd running in daemon mode for a test, with what a service
// manager would give it: a NOTIFY_SOCKET the test reads, and the
// portal-syncctl binary to talk to its control socket.

#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace psd::testing {

/// A unix datagram socket standing in for systemd's notify socket: every
/// message the daemon sends is kept, with when it arrived.
class NotifySocket {
 public:
  using Clock = std::chrono::steady_clock;
  explicit NotifySocket(std::string path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }
  /// Every message so far, in order.
  std::vector<std::string> messages() const;
  /// Arrival times of messages holding the line `line` (e.g. "WATCHDOG=1").
  std::vector<Clock::time_point> arrivals(const std::string& line) const;
  /// Wait until a message holds the line `line`, after `after` messages.
  bool wait_for(const std::string& line, std::chrono::milliseconds timeout,
                std::size_t after = 0) const;

 private:
  void receive();
  std::string path_;
  int fd_ = -1;
  bool stop_ = false;
  mutable std::mutex mutex_;
  std::vector<std::pair<Clock::time_point, std::string>> messages_;
  std::thread reader_;
};

/// A finished run of portal-syncctl (or another program): exit status,
/// stdout and stderr; describe() prints it.
using CtlResult = DaemonResult;

/// Run `binary` with `args` and wait for it (up to `timeout`).
CtlResult run_program(const std::string& binary, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout = std::chrono::seconds(120));
/// Run portal-syncctl with `args` and wait for it (up to `timeout`).
CtlResult run_ctl(const std::vector<std::string>& args,
                  std::chrono::milliseconds timeout = std::chrono::seconds(120));

/// The daemon under test: a DaemonRun's folder and config, with the
/// control socket and the notify socket in a short TempDir.
class DaemonProcess {
 public:
  struct Options {
    std::string extra_toml{};         ///< top-level keys added to the config
    std::string national_extra{};     ///< [national] keys added to the config
    std::vector<std::string> args{};  ///< after --config FILE
    std::vector<std::string> env{};   ///< extra NAME=value
    /// Called with the written config before the daemon starts (to edit it).
    std::function<void(const DaemonRun&)> prepare = {};

    /// Only manual resyncs run (the poll is an hour away), and the national
    /// rate is high enough that a first cycle takes no seconds.
    static Options manual_only();
  };
  /// Write the config and start the daemon; wait for READY=1.
  DaemonProcess(const SimProcess& sim, const Options& options);
  ~DaemonProcess();

  /// portal-syncctl --socket SOCKET `args`.
  CtlResult ctl(const std::vector<std::string>& args,
                std::chrono::milliseconds timeout = std::chrono::seconds(120)) const;
  /// Wait until the first cycle has ended (the status file has a last_cycle).
  bool wait_first_cycle(std::chrono::milliseconds timeout = std::chrono::seconds(120)) const;
  /// The status file parsed, or nothing while it cannot be read or parsed.
  std::optional<rapidjson::Document> status() const;

  DaemonRun& run() { return *run_; }
  ChildProcess& process() { return *process_; }
  NotifySocket& notify() { return *notify_; }
  const std::string& socket() const { return socket_; }
  std::string log() const { return process_->stderr_text(); }

 private:
  TempDir short_dir_;
  std::string socket_;
  std::unique_ptr<DaemonRun> run_;
  std::unique_ptr<NotifySocket> notify_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace psd::testing
