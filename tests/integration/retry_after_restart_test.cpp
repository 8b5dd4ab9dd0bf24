// A Retry-After window outlives the process it was given to: kill -9 inside
// a 15 s window, start again at once, and the portal sees nothing from the
// new process before the window ends (the simulator's ledger times say so).
// --dry-run --no-wait refuses to wait and names the window; --dry-run waits.
// The provincial window holds for a mapped catalogue (contract dialects.md) too.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <string>

#include "tests/integration/daemon_run.hpp"
#include "tests/integration/mapped_support.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

constexpr int kWindowSeconds = 15;

/// The window state.db keeps for `portal`, as stored, or nothing.
std::optional<std::string> kept_window(const std::filesystem::path& db, const std::string& portal) {
  try {
    SQLite::Database state(db.string(), SQLite::OPEN_READONLY);
    SQLite::Statement query(state, "SELECT until FROM retry_after WHERE portal = ?");
    query.bind(1, portal);
    if (!query.executeStep()) return std::nullopt;
    return query.getColumn(0).getString();
  } catch (const std::exception&) {
    return std::nullopt;  // not created yet, or the table not yet migrated
  }
}

/// Start `--once`, wait until `portal`'s window is committed to state.db,
/// and kill -9 the process inside it.
std::string kill_inside_the_window(const DaemonRun& daemon, const std::string& portal) {
  ChildOptions quiet;
  quiet.out = OutputSink::discard();
  ChildProcess run(PSD_DAEMON_BINARY, {"--config", daemon.config_path().string(), "--once"}, quiet);
  EXPECT_TRUE(eventually([&] { return kept_window(daemon.state_db(), portal).has_value(); },
                         std::chrono::seconds(60), std::chrono::milliseconds(10)))
      << run.stderr_text();
  run.signal(SIGKILL);
  EXPECT_EQ(run.wait(std::chrono::seconds(30)), 128 + SIGKILL) << run.stderr_text();
  return kept_window(daemon.state_db(), portal).value_or("");
}

void expect_refused_without_waiting(const DaemonRun& daemon, const std::string& portal) {
  const DaemonResult refused = daemon.run({"--dry-run", "--no-wait"});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.out.find(portal + " portal: its Retry-After window is closed until 20"),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("Z; not waiting (--no-wait)"), std::string::npos) << refused.out;
}

/// A portal saw nothing from the 503 that opened its window to the window's
/// end: the ledger's violations, the window's end and the first request after it.
void expect_window_kept(std::uint64_t violations, std::uint64_t until_ms,
                        std::uint64_t first_request_ms) {
  EXPECT_EQ(violations, 0u);
  ASSERT_GT(until_ms, 0u);
  EXPECT_GE(first_request_ms, until_ms)
      << "the first request after the 503 came " << until_ms - first_request_ms
      << " ms before the window's end";
}

void expect_catalogue_window_kept(const SimLedger& ledger) {
  expect_window_kept(ledger.catalogue_retry_after_violations, ledger.catalogue_window_until_ms,
                     ledger.catalogue_first_request_after_window_ms);
}

TEST(RetryAfterKept, AKillInsideTheNationalWindowSendsItNothingBeforeTheEnd) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "100", "--latency-ms", "10",
                  "--seed", "5"});
  DaemonRun daemon(sim, "", "max_requests_per_second = 10000\n");
  sim.fail({.target = "put", .status = 503, .retry_after = kWindowSeconds});

  const std::string kept = kill_inside_the_window(daemon, "national");
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.back(), 'Z') << kept << ": a UTC time";
  expect_refused_without_waiting(daemon, "national");
  const DaemonResult restarted = daemon.once();  // at once: it waits for the window

  EXPECT_EQ(restarted.exit_code, 0) << restarted.err;
  EXPECT_NE(restarted.err.find("national portal: nothing is sent before"), std::string::npos)
      << restarted.err;
  const SimLedger ledger = sim.ledger();
  expect_window_kept(ledger.retry_after_violations, ledger.national_window_until_ms,
                     ledger.national_first_request_after_window_ms);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(sim.coverage().in_sync, 300);
  EXPECT_FALSE(kept_window(daemon.state_db(), "national")) << "cleared once passed";
}

TEST(RetryAfterKept, AKillInsideTheCataloguesWindowSendsItNothingBeforeTheEnd) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "100", "--seed", "6"});
  DaemonRun daemon(sim, "", "max_requests_per_second = 10000\n");
  sim.fail({.target = "catalogue", .status = 503, .retry_after = kWindowSeconds});

  const std::string kept = kill_inside_the_window(daemon, "provincial");
  ASSERT_FALSE(kept.empty());
  expect_refused_without_waiting(daemon, "provincial");
  const DaemonResult planned = daemon.run({"--dry-run"});  // waits, then plans

  EXPECT_EQ(planned.exit_code, 0) << planned.err;
  EXPECT_NE(planned.out.find("No write was sent (--dry-run)."), std::string::npos) << planned.out;
  const SimLedger ledger = sim.ledger();
  expect_catalogue_window_kept(ledger);
  EXPECT_EQ(ledger.puts, 0u);
}

class MappedRetryAfterKept : public ::testing::TestWithParam<Shape> {};

INSTANTIATE_TEST_SUITE_P(EveryShape, MappedRetryAfterKept, every_shape(), shape_test_name);

TEST_P(MappedRetryAfterKept, AKillInsideTheMappedCataloguesWindowSendsItNothingBeforeTheEnd) {
  SimProcess sim(sim_args(GetParam(), {"--services", "300", "--full", "150", "--integrated", "100",
                                       "--information", "6", "--seed", "7"}));
  DaemonRun daemon(sim, "", "max_requests_per_second = 10000\n");
  read_shape(daemon, sim, GetParam());
  sim.fail({.target = "catalogue", .status = 503, .retry_after = kWindowSeconds});

  const std::string kept = kill_inside_the_window(daemon, "provincial");
  ASSERT_FALSE(kept.empty());
  expect_refused_without_waiting(daemon, "provincial");
  const DaemonResult restarted = daemon.once();  // at once: it waits for the window

  EXPECT_EQ(restarted.exit_code, 0) << restarted.err;
  const SimLedger ledger = sim.ledger();
  expect_catalogue_window_kept(ledger);
  EXPECT_EQ(ledger.creates, 200u);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(sim.coverage().in_sync, 300);
  EXPECT_FALSE(kept_window(daemon.state_db(), "provincial")) << "cleared once passed";
}

}  // namespace
}  // namespace psd::testing
