// portal-syncctl backup FILE: through the running daemon during a sync and
// directly while it is stopped; the copy passes integrity_check, is 0600 and
// appears whole (renamed into place); and a backup taken mid-sync, restored
// as README "Backup and restore" says, finishes the sync with 0 wasted writes.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/daemon_process.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wait.hpp"

namespace psd::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

std::string integrity_of(const fs::path& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA integrity_check").getString();
}

std::int64_t count(const fs::path& path, const std::string& table) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

/// README "Backup and restore": with the daemon stopped, state.db's WAL and
/// index go, and the backup takes its place.
void restore(const fs::path& backup, const fs::path& state_db) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(state_db.string() + suffix);
  fs::copy_file(backup, state_db);
}

TEST(Backup, TakenMidSyncPassesIntegrityAndItsRestoreFinishesWithNoWastedWrite) {
  SimProcess sim(
      {"--services", "1200", "--full", "600", "--integrated", "100", "--latency-ms", "15"});
  auto options = DaemonProcess::Options::manual_only();
  options.national_extra += "max_concurrency = 4\n";
  DaemonProcess daemon(sim, options);
  ASSERT_TRUE(eventually([&] { return sim.ledger().creates >= 200; }, seconds(60))) << daemon.log();

  // A scratch copy left by a daemon that died mid-backup is cleared away.
  std::ofstream(daemon.run().state_db().parent_path() / "state.db.backup-dead01") << "partial";
  const fs::path backup = daemon.run().dir() / "backups" / "state-mid-sync.db";
  fs::create_directories(backup.parent_path());
  const CtlResult result = daemon.ctl({"backup", backup.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err << daemon.log();
  const auto creates_at_backup = sim.ledger().creates;
  EXPECT_LT(creates_at_backup, 1100u) << "the backup should be taken while the sync runs";
  EXPECT_NE(result.out.find("by portal-syncd"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("integrity_check ok"), std::string::npos) << result.out;

  // Stop mid-sync too: the restore must finish what neither run did.
  daemon.process().signal(SIGTERM);
  ASSERT_EQ(daemon.process().wait(seconds(30)), 0) << daemon.log();
  EXPECT_EQ(integrity_of(backup), "ok");
  EXPECT_EQ(mode_of(backup), 0600u);
  EXPECT_GT(count(backup, "outbox"), 0) << "mid-sync: writes still pending in the copy";
  EXPECT_GT(count(backup, "snapshot_service"), 0);
  for (const auto& entry : fs::directory_iterator(backup.parent_path())) {
    EXPECT_EQ(entry.path(), backup) << "no temporary file left behind";
  }
  for (const auto& entry : fs::directory_iterator(daemon.run().state_db().parent_path())) {
    EXPECT_EQ(entry.path().filename().string().find("backup"), std::string::npos)
        << "the daemon's scratch copy is removed: " << entry.path();
  }

  restore(backup, daemon.run().state_db());
  const DaemonResult finish = daemon.run().once();
  EXPECT_EQ(finish.exit_code, 0) << finish.err;
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(ledger.key_reuse_errors, 0u);
  EXPECT_EQ(ledger.creates, 1100u) << "every service created exactly once";
  const sim::Coverage coverage = sim.coverage();
  EXPECT_EQ(coverage.in_sync, coverage.valid_active);
}

TEST(Backup, WhileTheDaemonIsStoppedPortalSyncctlReadsStateDbItself) {
  SimProcess sim({"--services", "40", "--full", "20", "--integrated", "10", "--reject", "2"});
  DaemonRun run(sim);
  ASSERT_EQ(run.once().exit_code, 1);  // two rejected services
  const fs::path backup = run.dir() / "state-copy.db";
  std::ofstream(backup) << "an older backup, replaced whole";

  const CtlResult result = run_ctl({"--config", run.config_path().string(), "--socket",
                                    (run.dir() / "no.sock").string(), "backup", backup.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("portal-syncd is not running"), std::string::npos) << result.out;
  EXPECT_EQ(integrity_of(backup), "ok");
  EXPECT_EQ(mode_of(backup), 0600u);
  EXPECT_EQ(count(backup, "sync_status"), count(run.state_db(), "sync_status"));
  SQLite::Database copy(backup, SQLite::OPEN_READONLY);
  SQLite::Database live(run.state_db(), SQLite::OPEN_READONLY);
  EXPECT_EQ(copy.execAndGet("PRAGMA user_version").getInt(),
            live.execAndGet("PRAGMA user_version").getInt());
  EXPECT_EQ(copy.execAndGet("PRAGMA journal_mode").getString(), "delete")
      << "one self-contained file";
}

TEST(Backup, FailuresLeaveNoFileAndSayWhy) {
  SimProcess sim({"--services", "5", "--full", "2", "--integrated", "0"});
  DaemonRun run(sim);
  const std::string socket = (run.dir() / "no.sock").string();
  // No state.db yet: nothing is created in its place.
  CtlResult none = run_ctl({"--config", run.config_path().string(), "--socket", socket, "backup",
                            (run.dir() / "b.db").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find(run.state_db().string()), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(run.state_db()));
  EXPECT_FALSE(fs::exists(run.dir() / "b.db"));

  const CtlResult no_dir = run_ctl({"--config", run.config_path().string(), "--socket", socket,
                                    "backup", (run.dir() / "missing" / "b.db").string()});
  EXPECT_EQ(no_dir.exit_code, 1);
  EXPECT_NE(no_dir.err.find("missing"), std::string::npos) << no_dir.err;

  const CtlResult usage = run_ctl({"backup"});
  EXPECT_EQ(usage.exit_code, 64);
}

}  // namespace
}  // namespace psd::testing
