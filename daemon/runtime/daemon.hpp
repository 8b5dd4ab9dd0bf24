#pragma once
// portal-syncd's daemon mode: one event loop on the main thread and one
// cycle worker thread (cycle_worker.hpp).
//
// The loop polls a signalfd (SIGTERM, SIGINT, SIGHUP), an eventfd the worker
// writes after each job, the control socket and its clients; its timeout is
// the nearest deadline: the next poll cycle, the next full resync, the next
// watchdog ping, the next status refresh or progress event while a cycle
// runs, the shutdown bound. Only the loop touches the control socket, the
// timers and the daemon's state; the worker touches only its Syncer.

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "daemon/control/protocol.hpp"
#include "daemon/control/server.hpp"
#include "daemon/runtime/backup_job.hpp"
#include "daemon/runtime/cycle_worker.hpp"
#include "daemon/runtime/notify.hpp"
#include "daemon/runtime/status_file.hpp"
#include "daemon/runtime/syncer.hpp"

namespace psd::runtime {

namespace commands {
struct Handlers;
}

struct DaemonOptions {
  /// After SIGTERM, how long in-flight requests may take to finish before
  /// they are abandoned (a second SIGTERM abandons them at once).
  std::chrono::milliseconds stop_timeout{10000};
};

class Daemon {
 public:
  using Clock = std::chrono::steady_clock;

  /// Open state.db, read the secrets and create the control socket for
  /// `config`. Throw std::runtime_error naming the file at fault.
  Daemon(config::Config config, DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Run until SIGTERM or SIGINT; return the exit code (0).
  int run();

 private:
  // The event loop (daemon.cpp).
  /// A control client to answer with an error result when a step fails.
  struct ReplyTo {
    control::ClientId client;
    std::int64_t id;
  };
  /// The loop's one error boundary: run `step`; an exception from the state
  /// store, the file system or a command is logged with `what` failed (and
  /// answered to `reply` as a `failed` result), and the loop goes on, so a
  /// monitoring probe cannot kill the service it probes.
  void contain(std::string_view what, const std::function<void()>& step,
               std::optional<ReplyTo> reply = std::nullopt);
  void poll_once();
  Clock::time_point next_deadline() const;
  void on_signals();
  void on_timers();
  void on_worker_done();
  void finish_cycle(JobOutcome& outcome);
  void begin_shutdown(std::string_view why);
  void reload(std::string_view source, control::ClientId client, std::int64_t id);
  void publish_status();
  DaemonState daemon_state() const;
  std::string status_line() const;
  Clock::duration next_poll_delay();
  std::shared_ptr<Syncer> syncer() const;
  /// The worker's source: swap in a reloaded syncer between jobs.
  std::shared_ptr<Syncer> syncer_for_next_job();

  // The control socket (control_commands.cpp): a request line checked and
  // handed to its handler (commands/), and the events sent back later.
  friend struct commands::Handlers;
  void on_line(control::ClientId client, std::string_view line);
  void answer_backup(const BackupOutcome& outcome);
  void send_progress_events();
  void answer_waiters(const JobOutcome& outcome);
  void reply_error(control::ClientId client, std::int64_t id, control::ResultCode code,
                   std::string_view error);

  config::Config config_;
  DaemonOptions options_;
  std::stop_source abandon_;  ///< requested at the shutdown bound: ends every transfer
  mutable std::mutex syncer_mutex_;
  std::shared_ptr<Syncer> syncer_;  ///< the one cycles run on
  /// A reloaded syncer, swapped in before the worker's next job, so that a
  /// running cycle finishes (and reports) on the one it started with.
  std::shared_ptr<Syncer> reloaded_;
  SystemdNotifier notifier_;
  std::unique_ptr<control::ControlServer> server_;
  int signal_fd_ = -1;
  int wake_fd_ = -1;
  std::unique_ptr<CycleWorker> worker_;
  std::unique_ptr<BackupJob> backup_;  ///< `backup` runs beside the worker

  struct PendingReload {
    std::string source{};  ///< "SIGHUP" or "control socket"
    control::ClientId client;
    std::int64_t id;  ///< < 0: nobody to answer
  };
  std::optional<PendingReload> pending_reload_;
  bool paused_ = false;
  bool stopping_ = false;
  std::optional<engine::CycleReport> last_outcome_;  ///< of the last cycle (not plan)
  int consecutive_failures_ = 0;
  std::mt19937_64 random_{std::random_device{}()};

  Clock::time_point next_poll_;
  Clock::time_point next_full_;
  std::optional<std::chrono::milliseconds> watchdog_every_;
  Clock::time_point next_watchdog_;
  Clock::time_point next_status_write_;
  Clock::time_point next_progress_;
  Clock::time_point stop_deadline_ = Clock::time_point::max();

  /// Clients waiting for the outcome of a ticket (resync --wait, plan).
  struct Waiter {
    control::ClientId client;
    std::int64_t id;
    bool progress;  ///< stream progress events (resync --wait)
  };
  std::map<std::uint64_t, std::vector<Waiter>> waiters_;
};

}  // namespace psd::runtime
