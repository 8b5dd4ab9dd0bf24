#include "daemon/runtime/app.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <random>

#include "daemon/runtime/logging.hpp"
#include "daemon/runtime/plan_printer.hpp"
#include "daemon/runtime/syncer.hpp"
#include "psd_version.hpp"

namespace psd::runtime {
namespace {

/// A little jitter on each poll, so provinces started together drift apart.
constexpr double kPollJitter = 0.05;

int run_one(Syncer& syncer, RunMode mode) {
  if (mode == RunMode::dry_run) {
    const auto& report = syncer.run_cycle(
        {.mode = engine::CycleMode::dry_run, .cache = engine::CatalogueCache::ignore});
    std::fputs(format_plan(report, syncer.config().province).c_str(), stdout);
    std::fputs(report.plan ? "\nNo write was sent (--dry-run).\n" : "", stdout);
    return static_cast<int>(report.exit_code);
  }
  const auto& report = syncer.run_cycle({});
  syncer.write_status(report.result == state::CycleResult::failed ? DaemonState::error
                                                                  : DaemonState::idle);
  spdlog::info("status file: {}", syncer.config().status_file.string());
  return static_cast<int>(report.exit_code);
}

/// Wait up to `duration` for SIGTERM or SIGINT (blocked, read here rather than
/// in a handler). Return true when one arrived.
bool wait_for_stop(const sigset_t& signals, std::chrono::milliseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (true) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return false;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
    const timespec timeout{static_cast<time_t>(seconds.count()),
                           static_cast<long>((left - seconds) / std::chrono::nanoseconds(1))};
    const int signal = sigtimedwait(&signals, nullptr, &timeout);
    if (signal == SIGTERM || signal == SIGINT) return true;
  }
}

int run_daemon(Syncer& syncer) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(1.0 - kPollJitter, 1.0 + kPollJitter);
  const auto full_every = syncer.config().full_resync_interval;
  auto next_full = std::chrono::steady_clock::now() + full_every;
  spdlog::info("portal-syncd {} started for province {}", kVersion, syncer.config().province);
  while (true) {
    const bool full = std::chrono::steady_clock::now() >= next_full;
    if (full) next_full = std::chrono::steady_clock::now() + full_every;
    syncer.write_status(DaemonState::syncing);
    const auto& report = syncer.run_cycle(
        {.cache = full ? engine::CatalogueCache::ignore : engine::CatalogueCache::use_etag});
    syncer.write_status(report.result == state::CycleResult::failed ? DaemonState::error
                                                                    : DaemonState::idle);
    const auto wait = std::chrono::milliseconds(static_cast<std::int64_t>(
        static_cast<double>(syncer.config().poll_interval.count()) * jitter(random)));
    if (wait_for_stop(signals, wait)) break;
  }
  spdlog::info("stopping on signal");
  return 0;
}

}  // namespace

int run(const CommandLine& line) {
  if (line.mode == RunMode::help) {
    std::fputs(help_text().c_str(), stdout);
    return 0;
  }
  if (line.mode == RunMode::version) {
    std::printf("portal-syncd %s\n", kVersion);
    return 0;
  }
  setup_logging(line.log_level);
  config::Config config;
  try {
    config = config::load_config(line.config);
  } catch (const config::ConfigError& error) {
    spdlog::error("configuration error: {}", error.what());
    return 2;
  }
  try {
    Syncer syncer(config);
    return line.mode == RunMode::daemon ? run_daemon(syncer) : run_one(syncer, line.mode);
  } catch (const std::exception& error) {
    spdlog::error("fatal: {}", error.what());
    return 2;
  }
}

}  // namespace psd::runtime
