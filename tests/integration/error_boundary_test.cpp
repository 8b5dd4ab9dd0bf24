// The daemon's error boundaries (ARCHITECTURE.md, "Errors"): a state store
// that fails under `portal-syncctl status` (the event loop's), under a cycle
// (the cycle worker's), under a status file write and under a metrics file
// write is logged and answered as an error, and the daemon lives on and
// recovers once the store does.

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/daemon_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

/// Rename a table of the daemon's state.db from another connection: every
/// statement of the daemon's on it then fails inside SQLite.
void rename_table(const std::filesystem::path& db, const std::string& from, const std::string& to) {
  SQLite::Database state(db.string(), SQLite::OPEN_READWRITE, 5000);
  state.exec("ALTER TABLE " + from + " RENAME TO " + to);
}

std::string updated_at(const DaemonProcess& daemon) {
  const auto status = daemon.status();
  return status && (*status)["updated_at"].IsString() ? (*status)["updated_at"].GetString() : "";
}

TEST(ErrorBoundary, AFailingStoreIsLoggedAnsweredAndSurvived) {
  SimProcess sim({"--services", "40", "--full", "20", "--integrated", "40"});
  TempDir dir;
  const std::string metrics = dir.file("portal-syncd.prom");
  DaemonProcess daemon(sim, {.extra_toml = "metrics_file = \"" + metrics + "\"\n"});
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  const auto db = daemon.run().state_db();

  rename_table(db, "cycles", "cycles_hidden");
  // Under status: an error result, not a dead daemon.
  const CtlResult status = daemon.ctl({"status"});
  EXPECT_NE(status.exit_code, 0);
  EXPECT_NE((status.out + status.err).find("no such table: cycles"), std::string::npos)
      << status.out << status.err;
  EXPECT_TRUE(eventually(
      [&] { return daemon.log().find("control command status failed") != std::string::npos; },
      std::chrono::seconds(10)))
      << daemon.log();
  // Under a cycle: the worker's boundary ends it failed, with the store's message.
  const CtlResult cycle = daemon.ctl({"resync", "--wait"});
  EXPECT_NE(cycle.exit_code, 0) << cycle.out << cycle.err;
  EXPECT_NE((cycle.out + cycle.err).find("no such table: cycles"), std::string::npos)
      << cycle.out << cycle.err;
  // Under the status and metrics writes that follow it.
  EXPECT_TRUE(eventually(
      [&] {
        const std::string log = daemon.log();
        return log.find("writing the status file failed") != std::string::npos &&
               log.find("writing the metrics file failed") != std::string::npos;
      },
      std::chrono::seconds(30)))
      << daemon.log();
  ASSERT_TRUE(daemon.process().running()) << daemon.log();

  // The store recovers: the next answers and writes succeed.
  rename_table(db, "cycles_hidden", "cycles");
  const std::string before = updated_at(daemon);
  const CtlResult healthy = daemon.ctl({"status"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.err;
  EXPECT_EQ(daemon.ctl({"resync", "--wait"}).exit_code, 0);
  EXPECT_TRUE(eventually([&] { return updated_at(daemon) > before; }, std::chrono::seconds(30)));
  EXPECT_NE(read_file(metrics).find("portal_sync_last_cycle_timestamp_seconds"), std::string::npos);
  EXPECT_TRUE(daemon.process().running());
}

}  // namespace
}  // namespace psd::testing
