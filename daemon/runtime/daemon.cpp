#include "daemon/runtime/daemon.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "psd_version.hpp"

namespace psd::runtime {
namespace {

/// A little jitter on each poll, so provinces started together drift apart.
constexpr double kPollJitter = 0.05;
/// While a cycle runs: how often the status file is rewritten with its
/// progress, and how often `resync --wait` clients get a progress event.
constexpr auto kStatusRefresh = std::chrono::seconds(2);
constexpr auto kProgressEvery = std::chrono::milliseconds(500);
/// The longest poll() sleep, so a clock oddity never stalls the loop for long.
constexpr auto kMaxSleep = std::chrono::seconds(30);

int make_signal_fd() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  // Blocked before any thread starts, so every thread inherits the mask and
  // the signals are only ever read here, in the loop.
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) {
    throw std::runtime_error("cannot block SIGTERM, SIGINT and SIGHUP");
  }
  const int fd = ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error(std::string("signalfd: ") + std::strerror(errno));
  return fd;
}

std::unique_ptr<control::ControlServer> make_server(const config::Config& config) {
  if (config.control_socket.empty()) return nullptr;
  return std::make_unique<control::ControlServer>(config.control_socket,
                                                  control::hello_line(kVersion, config.province));
}

}  // namespace

Daemon::Daemon(config::Config config, DaemonOptions options)
    : config_(std::move(config)), options_(options) {
  signal_fd_ = make_signal_fd();
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  syncer_ = std::make_shared<Syncer>(config_, abandon_.get_token());
  server_ = make_server(config_);
  watchdog_every_ = SystemdNotifier::watchdog_interval();
  const auto wake = [fd = wake_fd_] {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd, &one, sizeof one);
  };
  worker_ = std::make_unique<CycleWorker>([this] { return syncer_for_next_job(); }, wake);
  backup_ = std::make_unique<BackupJob>(wake);
}

Daemon::~Daemon() {
  worker_.reset();  // joins the thread before the descriptors it writes go
  backup_.reset();  // the same
  server_.reset();
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (signal_fd_ >= 0) ::close(signal_fd_);
}

std::shared_ptr<Syncer> Daemon::syncer() const {
  std::lock_guard lock(syncer_mutex_);
  return syncer_;
}

std::shared_ptr<Syncer> Daemon::syncer_for_next_job() {
  std::lock_guard lock(syncer_mutex_);
  if (reloaded_) {
    reloaded_->adopt_reports(*syncer_);
    syncer_ = std::move(reloaded_);
  }
  return syncer_;
}

int Daemon::run() {
  const auto now = Clock::now();
  next_full_ = now + config_.full_resync_interval;
  next_poll_ = Clock::time_point::max();
  next_watchdog_ = now;
  spdlog::info("portal-syncd {} started for province {}; control socket {}", kVersion,
               config_.province,
               config_.control_socket.empty() ? "(none)" : config_.control_socket.string());
  worker_->submit({.reason = "start"});
  next_status_write_ = now + kStatusRefresh;
  publish_status();
  notifier_.ready(status_line());
  while (!(stopping_ && worker_->exited())) poll_once();
  contain("taking a finished cycle", [this] { on_worker_done(); });  // answer the last waiters
  worker_.reset();
  publish_status();
  spdlog::info("stopped");
  return 0;
}

void Daemon::poll_once() {
  std::vector<pollfd> fds{{signal_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  if (server_) server_->add_poll_fds(fds);
  const auto wait = std::clamp<Clock::duration>(next_deadline() - Clock::now(),
                                                Clock::duration::zero(), kMaxSleep);
  // Round up, so the loop does not spin on a deadline a fraction of a ms away.
  const auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait_ms));
  if (ready < 0 && errno != EINTR) {
    spdlog::error("poll: {}", std::strerror(errno));
  }
  if (ready > 0) {
    if ((fds[0].revents & POLLIN) != 0) contain("reading signals", [this] { on_signals(); });
    if ((fds[1].revents & POLLIN) != 0) {
      contain("taking a finished cycle", [this] { on_worker_done(); });
    }
    if (server_) {
      server_->handle(
          fds, [this](control::ClientId client, std::string_view line) { on_line(client, line); });
    }
  }
  // After handle(): a reload may replace the server it was iterating.
  if (pending_reload_) {
    const auto [source, client, id] = *std::exchange(pending_reload_, std::nullopt);
    reload(source, client, id);
  }
  contain("running the timers", [this] { on_timers(); });
}

void Daemon::contain(std::string_view what, const std::function<void()>& step,
                     std::optional<ReplyTo> reply) {
  try {
    step();
  } catch (const std::exception& error) {
    spdlog::error("{} failed: {}; the daemon goes on", what, error.what());
    if (reply && server_) {
      reply_error(reply->client, reply->id, control::ResultCode::failed,
                  std::string(what) + " failed: " + error.what());
    }
  }
}

Daemon::Clock::time_point Daemon::next_deadline() const {
  auto next = Clock::time_point::max();
  if (watchdog_every_) next = std::min(next, next_watchdog_);
  if (stopping_ && !abandon_.stop_requested()) next = std::min(next, stop_deadline_);
  if (!stopping_ && !paused_) next = std::min({next, next_poll_, next_full_});
  if (!worker_->idle()) next = std::min(next, next_status_write_);
  if (!worker_->idle() && !waiters_.empty()) next = std::min(next, next_progress_);
  return next;
}

void Daemon::on_signals() {
  signalfd_siginfo info{};
  while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    switch (info.ssi_signo) {
      case SIGHUP:
        pending_reload_ = PendingReload{.source = "SIGHUP", .client = 0, .id = -1};
        break;
      case SIGTERM:
        begin_shutdown("SIGTERM");
        break;
      case SIGINT:
        begin_shutdown("SIGINT");
        break;
      default:
        break;
    }
  }
}

void Daemon::on_timers() {
  const auto now = Clock::now();
  if (watchdog_every_ && now >= next_watchdog_) {
    notifier_.watchdog();
    next_watchdog_ = now + *watchdog_every_;
  }
  if (stopping_ && now >= stop_deadline_ && !abandon_.stop_requested()) {
    spdlog::warn("abandoning the requests still in flight after {} ms",
                 options_.stop_timeout.count());
    abandon_.request_stop();
  }
  if (!stopping_ && !paused_) {
    if (now >= next_full_) {
      worker_->submit(
          {.target = {.cache = engine::CatalogueCache::ignore}, .reason = "full resync interval"});
      next_full_ = now + config_.full_resync_interval;
      next_status_write_ = now;
    }
    if (now >= next_poll_) {
      // A busy worker resets the poll timer when its cycle ends.
      if (worker_->idle()) {
        worker_->submit({.reason = "poll interval"});
        next_status_write_ = now;
      }
      next_poll_ = Clock::time_point::max();
    }
  }
  if (!worker_->idle()) {
    if (now >= next_status_write_) {
      publish_status();
      next_status_write_ = now + kStatusRefresh;
    }
    if (now >= next_progress_) {
      send_progress_events();
      next_progress_ = now + kProgressEvery;
    }
  }
}

void Daemon::on_worker_done() {
  std::uint64_t count = 0;
  [[maybe_unused]] auto n = ::read(wake_fd_, &count, sizeof count);
  if (auto backup = backup_->take_finished()) answer_backup(*backup);
  auto finished = worker_->take_finished();
  if (finished.empty()) return;
  for (auto& outcome : finished) {
    answer_waiters(outcome);
    if (outcome.job.kind == CycleJob::Kind::cycle && !outcome.cancelled) finish_cycle(outcome);
  }
  publish_status();
}

void Daemon::finish_cycle(JobOutcome& outcome) {
  const auto& report = outcome.report;
  const bool failed = report.result == state::CycleResult::failed;
  consecutive_failures_ =
      failed && report.exit_code != engine::ExitCode::fatal ? consecutive_failures_ + 1 : 0;
  outcome.report.plan.reset();  // the loop keeps the summary only
  last_outcome_ = std::move(outcome.report);
  if (!stopping_ && worker_->idle()) next_poll_ = Clock::now() + next_poll_delay();
  if (!stopping_ && !worker_->idle()) next_poll_ = Clock::time_point::max();
}

Daemon::Clock::duration Daemon::next_poll_delay() {
  std::uniform_real_distribution<double> jitter(1.0 - kPollJitter, 1.0 + kPollJitter);
  auto base = std::chrono::duration_cast<std::chrono::milliseconds>(config_.poll_interval);
  if (consecutive_failures_ > 0) {
    // A failed listing is retried sooner than the next poll, backing off.
    auto backoff = config_.retry.initial_backoff;
    for (int i = 1; i < consecutive_failures_ && backoff < config_.retry.max_backoff; ++i) {
      backoff *= 2;
    }
    base = std::min({base, backoff, config_.retry.max_backoff});
  }
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(base.count()) * jitter(random_)));
}

void Daemon::begin_shutdown(std::string_view why) {
  if (stopping_) {
    spdlog::warn("{} again: abandoning the requests in flight now", why);
    abandon_.request_stop();
    return;
  }
  stopping_ = true;
  stop_deadline_ = Clock::now() + options_.stop_timeout;
  spdlog::info("stopping on {}: no new request; requests in flight get {} ms to finish", why,
               options_.stop_timeout.count());
  notifier_.stopping("stopping on " + std::string(why));
  worker_->shutdown();
}

void Daemon::reload(std::string_view source, control::ClientId client, std::int64_t id) {
  notifier_.reloading();
  std::string problem;
  try {
    config::Config fresh = config::load_and_check(config_.source);
    auto next = std::make_shared<Syncer>(fresh, abandon_.get_token());
    std::unique_ptr<control::ControlServer> moved_server;
    if (fresh.control_socket != config_.control_socket) moved_server = make_server(fresh);
    {
      std::lock_guard lock(syncer_mutex_);
      reloaded_ = std::move(next);
    }
    if (worker_->idle()) syncer_for_next_job();  // else the worker swaps it between jobs
    if (fresh.poll_interval != config_.poll_interval && next_poll_ != Clock::time_point::max()) {
      next_poll_ = std::min(next_poll_, Clock::now() + fresh.poll_interval);
    }
    next_full_ = std::min(next_full_, Clock::now() + fresh.full_resync_interval);
    const bool socket_moved = fresh.control_socket != config_.control_socket;
    config_ = std::move(fresh);
    spdlog::info("configuration reloaded from {} ({})", config_.source.string(), source);
    if (id >= 0) {
      rapidjson::Document result(rapidjson::kObjectType);
      result.AddMember("reloaded", true, result.GetAllocator());
      server_->send(client, control::reply_line(id, result));
    }
    if (socket_moved) server_ = std::move(moved_server);
  } catch (const std::exception& error) {
    problem = error.what();
    // One line: what is wrong (file, key, line) and that nothing changed.
    spdlog::error("reload refused, the running configuration stays: {}", problem);
    if (id >= 0) reply_error(client, id, control::ResultCode::failed, problem);
  }
  notifier_.ready(status_line());
  publish_status();
}

DaemonState Daemon::daemon_state() const {
  if (paused_) return DaemonState::paused;
  const auto running = worker_ ? worker_->running() : std::nullopt;
  if (running && running->job.kind == CycleJob::Kind::cycle) return DaemonState::syncing;
  if (last_outcome_ && last_outcome_->result == state::CycleResult::failed) {
    return last_outcome_->exit_code == engine::ExitCode::fatal ? DaemonState::error
                                                               : DaemonState::backoff;
  }
  return DaemonState::idle;
}

std::string Daemon::status_line() const {
  std::string line(to_string(daemon_state()));
  if (const auto progress = syncer()->progress(); progress && progress->total > 0) {
    line += "; pushed " + std::to_string(progress->done) + " of " + std::to_string(progress->total);
  }
  if (last_outcome_ && last_outcome_->coverage) {
    const auto& overall = last_outcome_->coverage->overall;
    line += fmt::format("; coverage {:.2f}% ({} of {} integrated, {} in sync)", overall.percent(),
                        overall.integrated, overall.total, overall.in_sync);
  }
  if (last_outcome_) {
    line += "; last cycle " + std::string(state::to_string(last_outcome_->result));
  }
  return line;
}

void Daemon::publish_status() {
  // Each file on its own: a failed one is tried again at the next write.
  const DaemonState state = daemon_state();
  contain("writing the status file", [&] { syncer()->write_status_file(state); });
  contain("writing the metrics file", [&] { syncer()->write_metrics_file(state); });
  notifier_.status(status_line());
}

}  // namespace psd::runtime
