// psd-soak (make soak): kill -9 portal-syncd at random moments, SOAK_KILLS
// times (1,000 by default), while it syncs against portal-sim with the mixed
// fault profile on both portals and catalogue edits between kills. It
// restarts the daemon each time, checks PRAGMA integrity_check after every
// kill, ends with every service in sync and prints one table of results.
// PSD_DAEMON_BINARY and PSD_SIM_BINARY may name copies of the binaries.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "daemon/state/utc_time.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/daemon_config.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/temp_dir.hpp"

// Bounds: at most 3 runs per kill asked for, each killed within
// kMaxKillDelay (or kRunTimeout), SOAK_MAX_MINUTES for the loop, kFinalRuns
// runs of at most 10 minutes to finish.

namespace psd::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kServices = 1500;
constexpr int kIntegrated = 1000;
constexpr int kOrphans = 30;  // withdrawn: 30 of 1,530 is under the 5% guard
constexpr int kMaxEditsPerKill = 40;
constexpr std::chrono::milliseconds kMaxKillDelay{1500};
constexpr std::chrono::seconds kRunTimeout{120};  // a run that never ends is killed too
constexpr int kFinalRuns = 10;                    // --once runs to converge at the end

std::int64_t env_int(const char* name, std::int64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoll(text, nullptr, 10) : fallback;
}

std::string integrity_of(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement check(db, "PRAGMA integrity_check");
    std::string verdict;
    while (check.executeStep()) verdict += check.getColumn(0).getString();
    return verdict;
  } catch (const std::exception& error) {
    return std::string("cannot check: ") + error.what();
  }
}

std::string machine() {
  utsname name{};
  ::uname(&name);
  std::string cpu = "unknown CPU";
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  double load[3] = {0, 0, 0};
  ::getloadavg(load, 3);
  char text[256];
  std::snprintf(text, sizeof text, "%s %s, %ld cores (%s), load %.2f %.2f %.2f", name.sysname,
                name.release, ::sysconf(_SC_NPROCESSORS_ONLN), cpu.c_str(), load[0], load[1],
                load[2]);
  return text;
}

/// The daemon under test: $PSD_DAEMON_BINARY (a copy, so that a rebuild
/// during a long soak changes nothing), else the built one.
std::string daemon_binary() {
  const char* path = std::getenv("PSD_DAEMON_BINARY");
  return path != nullptr && *path != '\0' ? path : PSD_DAEMON_BINARY;
}

std::uint64_t violations_of(const SimLedger& ledger) {
  return ledger.retry_after_violations + ledger.catalogue_retry_after_violations;
}

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The end of `portal`'s window as state.db keeps it (Unix ms), 0 if none.
std::int64_t kept_window_ms(const std::string& path, const char* portal) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    if (!db.tableExists("retry_after")) return 0;
    SQLite::Statement read(db, "SELECT until FROM retry_after WHERE portal = ?");
    read.bind(1, portal);
    if (!read.executeStep()) return 0;
    // The daemon's own reader of the times it writes (RFC 3339 UTC, ms).
    const auto until = state::parse_utc(read.getColumn(0).getString());
    if (!until) return 0;
    return std::chrono::duration_cast<std::chrono::milliseconds>(until->time_since_epoch()).count();
  } catch (const std::exception&) {
    return 0;
  }
}

/// One portal's Retry-After requests in one run, split by whether any
/// process could have known the window. A window is lost to the kill when
/// the simulator sent it to the run before, which was killed before it
/// committed it to state.db (the daemon keeps each window as soon as it
/// reads the answer; it cannot keep one it never read), and this run
/// received no newer window on that portal.
struct WindowTally {
  std::uint64_t violations = 0;    // inside a window the daemon had kept or received
  std::uint64_t lost_to_kill = 0;  // inside a window no surviving process had
};

void tally(WindowTally& into, std::uint64_t added, std::uint64_t sim_until_before,
           std::uint64_t sim_until_after, std::int64_t kept_before, std::int64_t started_ms) {
  if (added == 0) return;
  // The daemon's end is its receipt + Retry-After, never before the sim's
  // sending + Retry-After; 5 ms covers the two processes' clock conversions.
  const auto sim_until = static_cast<std::int64_t>(sim_until_before);
  const bool open_at_start = sim_until > started_ms;
  const bool unknown = kept_before < sim_until - 5;
  if (open_at_start && unknown && sim_until_after == sim_until_before) {
    into.lost_to_kill += added;
  } else {
    into.violations += added;
  }
}

int soak() {
  const std::string daemon = daemon_binary();
  const std::int64_t kills_asked = env_int("SOAK_KILLS", 1000);
  const auto max_minutes = std::chrono::minutes(env_int("SOAK_MAX_MINUTES", 300));
  const auto seed = static_cast<std::uint64_t>(env_int("SOAK_SEED", std::random_device{}()));
  std::mt19937_64 random(seed);
  std::cout << "soak: " << kills_asked << " kills, seed " << seed << " (SOAK_SEED replays it), "
            << machine() << "\n";

  SimProcess::Options options;
  options.args = {"--services",
                  std::to_string(kServices),
                  "--full",
                  "700",
                  "--integrated",
                  std::to_string(kIntegrated),
                  "--stale",
                  "300",
                  "--orphans",
                  std::to_string(kOrphans),
                  "--token-ttl",
                  "5",
                  "--latency-ms",
                  "20",
                  "--max-concurrency",
                  "8",
                  "--seed",
                  std::to_string(seed % 100000)};
  options.faults = SimFaultProfile::mixed_on_both_portals();
  SimProcess sim(options);
  TempDir dir;
  DaemonConfig config = DaemonConfig::for_sim(sim, dir);
  config.withdraw_removed = true;
  config.national_timeout = "1s";
  config.provincial_page_size = 100;
  const std::string config_path = config.write(dir);
  const std::string db = dir.file("state/state.db");
  const std::vector<std::string> once = {"--config", config_path, "--once"};

  std::int64_t kills = 0, runs = 0, finished_early = 0, integrity_failures = 0, edits = 0;
  std::uniform_int_distribution<int> delay_ms(0, static_cast<int>(kMaxKillDelay.count()));
  std::uniform_int_distribution<int> edit_count(0, kMaxEditsPerKill);
  const auto started = Clock::now();
  const auto deadline = started + max_minutes;
  bool out_of_time = false;
  bool last_killed = false;
  WindowTally windows;
  // Bounded in count (3 runs per kill asked for) and in time.
  while (kills < kills_asked && runs < 3 * kills_asked) {
    if (Clock::now() >= deadline) {
      out_of_time = true;
      break;
    }
    if (const int n = edit_count(random); n > 0)
      edits += static_cast<std::int64_t>(sim.edit(n).size());
    ChildOptions quiet;
    quiet.out = OutputSink::discard();
    quiet.err = OutputSink::discard();
    const SimLedger before = sim.ledger();
    const std::int64_t kept_national = kept_window_ms(db, "national");
    const std::int64_t kept_provincial = kept_window_ms(db, "provincial");
    const std::int64_t started_ms = unix_now_ms();
    ChildProcess run(daemon, once, quiet);
    ++runs;
    const auto moment = std::chrono::milliseconds(delay_ms(random));
    bool killed = false;
    if (run.wait(moment)) {
      ++finished_early;  // the cycle ended first: no kill this time
    } else {
      run.signal(SIGKILL);
      const auto status = run.wait(kRunTimeout);
      killed = status && *status == 128 + SIGKILL;
      if (killed) ++kills;
    }
    const SimLedger after = sim.ledger();
    WindowTally run_tally;
    tally(run_tally, after.retry_after_violations - before.retry_after_violations,
          before.national_window_until_ms, after.national_window_until_ms, kept_national,
          started_ms);
    tally(run_tally,
          after.catalogue_retry_after_violations - before.catalogue_retry_after_violations,
          before.catalogue_window_until_ms, after.catalogue_window_until_ms, kept_provincial,
          started_ms);
    windows.violations += run_tally.violations;
    windows.lost_to_kill += run_tally.lost_to_kill;
    if (run_tally.violations + run_tally.lost_to_kill > 0) {
      std::cout << "  run " << runs << " (" << (killed ? "killed" : "ended") << " after "
                << moment.count() << " ms, after a " << (last_killed ? "killed" : "finished")
                << " run): " << run_tally.violations << " Retry-After violation(s), "
                << run_tally.lost_to_kill << " request(s) in a window lost to the kill\n";
    }
    last_killed = killed;
    if (integrity_of(db) != "ok") ++integrity_failures;
    if (runs % 50 == 0) {
      const auto minutes = std::chrono::duration<double>(Clock::now() - started).count() / 60;
      std::cout << "  " << kills << " kills, " << runs << " runs, " << minutes << " min\n"
                << std::flush;
    }
  }

  // Then let it finish: every service in sync, faults still on.
  int final_runs = 0, last_exit = -1;
  while (final_runs < kFinalRuns && last_exit != 0) {
    ++final_runs;
    ChildOptions quiet;
    quiet.out = OutputSink::discard();
    quiet.err = OutputSink::discard();
    const std::uint64_t before = violations_of(sim.ledger());
    ChildProcess run(daemon, once, quiet);
    last_exit = run.wait(std::chrono::minutes(10)).value_or(-1);
    windows.violations += violations_of(sim.ledger()) - before;
  }
  if (integrity_of(db) != "ok") ++integrity_failures;
  const double wall = std::chrono::duration<double>(Clock::now() - started).count();

  const SimLedger ledger = sim.ledger();
  const sim::Coverage coverage = sim.coverage();
  const std::int64_t lost = (coverage.valid_active - coverage.in_sync) + coverage.orphaned;
  const std::uint64_t violations = windows.violations;

  std::printf(
      "\n| kills | integrity failures | lost writes | wasted writes | duplicate withdrawals "
      "| Retry-After violations | in windows lost to a kill | wall time |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      "| %lld | %lld | %lld | %llu | %llu | %llu | %llu | %.0f s |\n\n",
      static_cast<long long>(kills), static_cast<long long>(integrity_failures),
      static_cast<long long>(lost), static_cast<unsigned long long>(ledger.wasted_writes),
      static_cast<unsigned long long>(ledger.not_found),
      static_cast<unsigned long long>(violations),
      static_cast<unsigned long long>(windows.lost_to_kill), wall);
  std::printf(
      "runs %lld (%lld ended before their kill), catalogue edits %lld, final --once runs %d "
      "(last exit %d), in sync %lld of %lld, orphans left %lld, hash mismatches %llu, creates "
      "%llu, updates %llu, deletes %llu, idempotent replays %llu, faults injected %llu, "
      "seed %llu%s\n",
      static_cast<long long>(runs), static_cast<long long>(finished_early),
      static_cast<long long>(edits), final_runs, last_exit,
      static_cast<long long>(coverage.in_sync), static_cast<long long>(coverage.valid_active),
      static_cast<long long>(coverage.orphaned),
      static_cast<unsigned long long>(ledger.hash_mismatches),
      static_cast<unsigned long long>(ledger.creates),
      static_cast<unsigned long long>(ledger.updates),
      static_cast<unsigned long long>(ledger.deletes),
      static_cast<unsigned long long>(ledger.idempotent_replays),
      static_cast<unsigned long long>(ledger.faults_injected),
      static_cast<unsigned long long>(seed), out_of_time ? " (stopped at SOAK_MAX_MINUTES)" : "");
  std::cout << machine() << "\n";
  const bool clean = integrity_failures == 0 && lost == 0 && ledger.wasted_writes == 0 &&
                     ledger.not_found == 0 && violations == 0 && last_exit == 0 &&
                     kills == kills_asked;
  return clean ? 0 : 1;
}

}  // namespace
}  // namespace psd::testing

int main() {
  try {
    return psd::testing::soak();
  } catch (const std::exception& error) {
    std::cerr << "soak: " << error.what() << "\n";
    return 2;
  }
}
