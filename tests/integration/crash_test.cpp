// kill -9 at random moments of a 3,000-service sync, restart each time: the
// work completes with no lost push, no wasted write, and a sound state.db.

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

constexpr int kServices = 3000;
constexpr int kIntegrated = 500;  // of them, all stale: 2,500 creates + 500 updates
constexpr int kOrphans = 60;      // withdrawn: 60 of 3,060 is under the 5% guard
constexpr int kLatencyMs = 30;    // per request at the sim: a push takes at least this
constexpr int kConcurrency = 8;
constexpr int kKills = 10;
// Odd runs are killed after a random delay in [0, kMaxKillDelay], even runs
// after a random number of their writes in [1, kMaxWritesBeforeKill]. 5 runs
// of at most 0.9 s at 8 in flight and 30 ms per push, and 5 of at most 150
// writes, apply at most 1,950 of the 3,000: every kill lands before the end.
constexpr std::chrono::milliseconds kMaxKillDelay{900};
constexpr std::uint64_t kMaxWritesBeforeKill = 150;

/// $PSD_CRASH_SEED when set (to replay a failure), else a fresh one.
std::uint64_t crash_seed() {
  if (const char* text = std::getenv("PSD_CRASH_SEED")) return std::strtoull(text, nullptr, 10);
  return std::random_device{}();
}

/// PRAGMA integrity_check on a read-only connection: "ok", or what is wrong.
std::string integrity_of(const std::filesystem::path& db_path) {
  try {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    std::string verdict;
    SQLite::Statement check(db, "PRAGMA integrity_check");
    while (check.executeStep()) verdict += check.getColumn(0).getString() + "\n";
    if (!verdict.empty()) verdict.pop_back();
    return verdict;
  } catch (const std::exception& error) {
    return std::string("cannot check: ") + error.what();
  }
}

TEST(CrashSafety, TenKillsDuringA3000ServiceSyncLoseNoPushAndWasteNoWrite) {
  const std::uint64_t seed = crash_seed();
  std::cout << "crash test seed: " << seed << " (replay with PSD_CRASH_SEED=" << seed << ")\n";
  RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> delay_ms(0, static_cast<int>(kMaxKillDelay.count()));
  std::uniform_int_distribution<std::uint64_t> writes(1, kMaxWritesBeforeKill);

  SimProcess sim({"--services", std::to_string(kServices), "--full", "1500", "--integrated",
                  std::to_string(kIntegrated), "--stale", std::to_string(kIntegrated), "--orphans",
                  std::to_string(kOrphans), "--latency-ms", std::to_string(kLatencyMs), "--seed",
                  "7"});
  DaemonRun daemon(
      sim, "[safety]\nwithdraw_removed = true\n",
      "max_concurrency = " + std::to_string(kConcurrency) + "\nmax_requests_per_second = 10000\n");
  const std::vector<std::string> argv = {"--config", daemon.config_path().string(), "--once"};

  const auto applied = [&sim] {
    const SimLedger ledger = sim.ledger();
    return ledger.creates + ledger.updates;
  };
  for (int kill = 1; kill <= kKills; ++kill) {
    const std::uint64_t before = applied();
    const auto started = std::chrono::steady_clock::now();
    ChildOptions quiet;
    quiet.out = OutputSink::discard();
    ChildProcess run(PSD_DAEMON_BINARY, argv, quiet);
    if (kill % 2 == 1) {
      // Any moment: start-up, listing, planning, the outbox commit or pushing.
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    } else {
      // A moment while pushing: after a random number of this run's writes.
      const std::uint64_t target = before + writes(random);
      ASSERT_TRUE(eventually([&] { return applied() >= target; }, std::chrono::seconds(60),
                             std::chrono::milliseconds(5)))
          << "run " << kill << " never reached " << target << " writes\n"
          << run.stderr_text();
    }
    run.signal(SIGKILL);
    const auto lived = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    const auto status = run.wait(std::chrono::seconds(30));
    ASSERT_EQ(status, 128 + SIGKILL) << "run " << kill << " was not killed (seed " << seed
                                     << "): it ended on its own within " << lived.count() << " ms\n"
                                     << run.stderr_text();
    std::cout << "kill " << kill << " after " << lived.count() << " ms; writes applied " << before
              << " -> " << applied() << "\n";
    if (std::filesystem::exists(daemon.state_db())) {
      EXPECT_EQ(integrity_of(daemon.state_db()), "ok")
          << "after kill " << kill << ", seed " << seed;
    }
    if (std::filesystem::exists(daemon.status_path())) {
      daemon.status();  // replaced atomically: whole JSON, whatever the moment
    }
  }
  ASSERT_LT(sim.coverage().in_sync, kServices) << "the kills came after the work was done";

  DaemonResult last = daemon.once();
  if (last.exit_code == 3) {
    // The guard measures the withdrawals against what the portal held when
    // the cycle began; early in a sync that is little, so it may wait a cycle.
    EXPECT_NE(last.err.find("max_withdraw_fraction"), std::string::npos) << last.err;
    last = daemon.once();
  }
  ASSERT_EQ(last.exit_code, 0) << "seed " << seed << "\n" << last.err;
  EXPECT_EQ(integrity_of(daemon.state_db()), "ok");

  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.wasted_writes, 0u) << "seed " << seed;
  EXPECT_EQ(ledger.hash_mismatches, 0u) << "seed " << seed;
  EXPECT_EQ(ledger.key_reuse_errors, 0u) << "seed " << seed;
  // Each write took effect exactly once: none lost, none done twice.
  EXPECT_EQ(ledger.creates, static_cast<std::uint64_t>(kServices - kIntegrated)) << "seed " << seed;
  EXPECT_EQ(ledger.updates, static_cast<std::uint64_t>(kIntegrated)) << "seed " << seed;
  EXPECT_EQ(ledger.deletes, static_cast<std::uint64_t>(kOrphans)) << "seed " << seed;
  EXPECT_EQ(ledger.not_found, 0u) << "no withdrawal sent twice under a new key; seed " << seed;
  const sim::Coverage coverage = sim.coverage();
  EXPECT_EQ(coverage.in_sync, kServices);
  EXPECT_EQ(coverage.orphaned, 0);
  EXPECT_DOUBLE_EQ(coverage.percent, 100.0);
  std::cout << "idempotent replays " << ledger.idempotent_replays << ", in-progress conflicts "
            << ledger.in_progress_conflicts << "\n";
}

TEST(CrashSafety, AKillWhilePushesHangAtThePortalResendsThemWithTheSameKeys) {
  // The portal holds the first 8 PUTs for 3 s; the daemon dies meanwhile.
  // The restart resends them with their committed keys, so whichever copy
  // lands second is a replay, never a second write.
  constexpr int kHeld = 8;
  SimProcess sim({"--services", "200", "--full", "100", "--integrated", "0"});
  DaemonRun daemon(sim, "", "max_requests_per_second = 10000\n");
  sim.fail({.target = "put", .status = 0, .count = kHeld, .delay_ms = 3000});
  {
    ChildProcess run(PSD_DAEMON_BINARY, {"--config", daemon.config_path().string(), "--once"});
    ASSERT_TRUE(
        eventually([&] { return sim.ledger().faults_injected >= kHeld; }, std::chrono::seconds(30)))
        << run.stderr_text();
    run.signal(SIGKILL);
    ASSERT_EQ(run.wait(std::chrono::seconds(30)), 128 + SIGKILL);
  }
  EXPECT_EQ(integrity_of(daemon.state_db()), "ok");
  const DaemonResult last = daemon.once();
  ASSERT_EQ(last.exit_code, 0) << last.err;
  // The held originals finish after the restart's copies, or before them.
  EXPECT_TRUE(eventually([&] { return sim.ledger().idempotent_replays >= kHeld; },
                         std::chrono::seconds(30)))
      << "replays: " << sim.ledger().idempotent_replays;
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.creates, 200u);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(ledger.key_reuse_errors, 0u);
  EXPECT_EQ(sim.coverage().in_sync, 200);
}

}  // namespace
}  // namespace psd::testing
