// A state.db from a newer portal-syncd is refused at start with exit 2 and
// the upgrade-or-restore message, in every mode, and is left as it was.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/sim_process.hpp"

namespace psd::testing {
namespace {

TEST(Schema, ANewerStateDbIsRefusedWithExit2AndTheMessageAndLeftAsItWas) {
  SimProcess sim({"--services", "5", "--full", "2", "--integrated", "0"});
  DaemonRun run(sim);
  ASSERT_EQ(run.once().exit_code, 0);
  int current = 0;
  {
    SQLite::Database db(run.state_db(), SQLite::OPEN_READWRITE);
    current = db.execAndGet("PRAGMA user_version").getInt();
    db.exec("PRAGMA user_version = " + std::to_string(current + 1));
  }
  const std::string before = read_file(run.state_db());
  const auto requests = sim.ledger().requests;
  const std::string message = "state.db schema " + std::to_string(current + 1) +
                              " is newer than this portal-syncd (" + std::to_string(current) +
                              "): upgrade portal-syncd or restore a backup";
  for (const auto& mode : std::vector<std::vector<std::string>>{{"--once"}, {"--dry-run"}, {}}) {
    const DaemonResult result = run.run(mode);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
  }
  EXPECT_EQ(read_file(run.state_db()), before) << "never rewritten";
  EXPECT_EQ(sim.ledger().requests, requests) << "refused before any request";
}

}  // namespace
}  // namespace psd::testing
