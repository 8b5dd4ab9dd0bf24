// The real portal-syncd against portal-sim over loopback HTTP, with a real
// state.db: the sync-cycle promises end to end.

#include <gtest/gtest.h>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/ledger_has.hpp"

namespace psd::testing {
namespace {

constexpr int kOk = 0, kNotInSync = 1, kFatal = 2, kListingFailed = 3;

TEST(SyncCycle, ASeedSizedRunEndsWithEveryValidServiceInSyncAndNoWastedWrite) {
  SimProcess sim({"--stale", "25"});
  DaemonRun daemon(sim);
  const sim::Coverage before = sim.coverage();
  ASSERT_EQ(before.total_active, 1126);
  ASSERT_EQ(before.integrated, 985);

  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, kOk) << describe(result);

  const SimLedger ledger = sim.ledger();
  EXPECT_TRUE(ledger_has(ledger, {{"creates", 141}, {"updates", 25}, {"idempotent_replays", 0}}));
  EXPECT_TRUE(no_mistakes(ledger));
  EXPECT_LE(ledger.max_in_flight, 8u) << "never more in flight than national.max_concurrency";

  const sim::Coverage after = sim.coverage();
  EXPECT_EQ(after.in_sync, 1126);
  const auto status = daemon.status();
  const auto& coverage = status["coverage"];
  EXPECT_EQ(coverage["total"].GetInt64(), after.total_active);
  EXPECT_EQ(coverage["integrated"].GetInt64(), after.integrated);
  EXPECT_EQ(coverage["in_sync"].GetInt64(), after.in_sync);
  EXPECT_DOUBLE_EQ(coverage["percent"].GetDouble(), after.percent);
  EXPECT_DOUBLE_EQ(coverage["percent"].GetDouble(), 100.0);
  EXPECT_EQ(coverage["by_level"]["full"]["total"].GetInt64(), after.full.total);
  EXPECT_EQ(coverage["by_level"]["partial"]["integrated"].GetInt64(), after.partial.integrated);
  for (const auto& [agency, count] : after.by_agency) {
    EXPECT_EQ(coverage["by_agency"][agency.c_str()]["integrated"].GetInt64(), count.integrated)
        << agency;
  }
  EXPECT_STREQ(status["last_cycle"]["result"].GetString(), "ok");
  EXPECT_EQ(status["last_cycle"]["pushed"].GetInt64(), 166);
  EXPECT_TRUE(status["last_success_at"].IsString());
  EXPECT_NE(result.err.find("coverage 87.48% -> 100.00%"), std::string::npos) << result.err;
}

TEST(SyncCycle, ASecondRunWithNothingChangedSendsNoPut) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "200"});
  DaemonRun daemon(sim);
  ASSERT_EQ(daemon.once().exit_code, kOk);
  const SimLedger first = sim.ledger();
  ASSERT_EQ(first.puts, 100u);

  const DaemonResult second = daemon.once();
  ASSERT_EQ(second.exit_code, kOk) << describe(second);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.puts, first.puts);
  EXPECT_EQ(ledger.catalogue_not_modified, first.catalogue_not_modified + 1)
      << "the catalogue's ETag should have answered 304";
  EXPECT_EQ(ledger.catalogue_pages, first.catalogue_pages)
      << "a 304 ends the catalogue read: no page is served after it";
}

TEST(SyncCycle, AnEditedServiceIsPushedOnTheNextRunAndOnlyIt) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "300"});
  DaemonRun daemon(sim);
  ASSERT_EQ(daemon.once().exit_code, kOk);
  const auto edited = sim.edit(5);
  ASSERT_EQ(edited.size(), 5u);
  ASSERT_EQ(daemon.once().exit_code, kOk);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.puts, 5u);
  EXPECT_EQ(ledger.updates, 5u);
  EXPECT_EQ(ledger.wasted_writes, 0u);
}

TEST(SyncCycle, DryRunPrintsThePlanAndSendsNoWrite) {
  SimProcess sim;
  DaemonRun daemon(sim);
  const DaemonResult result = daemon.run({"--dry-run"});
  ASSERT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_NE(result.out.find("create         141"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("in sync        985"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("985 of 1126 integrated (87.48%)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("No write was sent"), std::string::npos);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.puts, 0u);
  EXPECT_EQ(ledger.delete_requests, 0u);
  EXPECT_EQ(sim.coverage().integrated, 985);
}

TEST(SyncCycle, ATornListingPushesNothingFromTheTornSnapshot) {
  SimProcess sim({"--services", "500", "--full", "250", "--integrated", "400"});
  DaemonRun daemon(sim);
  sim.tear(10);  // more tears in a row than the reader restarts
  const DaemonResult result = daemon.once();
  EXPECT_EQ(result.exit_code, kListingFailed) << describe(result);
  EXPECT_EQ(sim.ledger().puts, 0u);
  const auto status = daemon.status();
  EXPECT_STREQ(status["last_cycle"]["result"].GetString(), "failed");
  EXPECT_NE(std::string(status["last_cycle"]["error"].GetString())
                .find("changed while it was being read"),
            std::string::npos);
  EXPECT_NE(result.err.find("provincial catalogue"), std::string::npos) << result.err;
}

TEST(SyncCycle, AListingTornOnceIsReadAgainAndSynced) {
  SimProcess sim({"--services", "500", "--full", "250", "--integrated", "400"});
  DaemonRun daemon(sim);
  sim.tear(1);
  const DaemonResult result = daemon.once();
  EXPECT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_EQ(sim.coverage().in_sync, sim.coverage().valid_active);
  EXPECT_EQ(sim.ledger().wasted_writes, 0u);
}

TEST(SyncCycle, InvalidRecordsAreReportedAndEveryValidOneIsPushed) {
  SimProcess sim({"--services", "200", "--full", "100", "--integrated", "100", "--invalid", "6"});
  DaemonRun daemon(sim);
  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, kOk) << "invalid records do not change the exit code\n"
                                   << describe(result);
  const sim::Coverage coverage = sim.coverage();
  EXPECT_EQ(coverage.in_sync, coverage.valid_active);
  EXPECT_EQ(sim.ledger().hash_mismatches, 0u);
  const auto status = daemon.status();
  EXPECT_EQ(status["queue"]["invalid"].GetInt64(), coverage.invalid_active);
  EXPECT_EQ(status["coverage"]["total"].GetInt64(), coverage.total_active);
  EXPECT_EQ(status["coverage"]["integrated"].GetInt64(), coverage.integrated);
  ASSERT_TRUE(status["invalid_records"].IsArray());
  ASSERT_GT(status["invalid_records"].Size(), 0u);
  EXPECT_NE(std::string(status["invalid_records"][0]["reason"].GetString()).find("field '"),
            std::string::npos);
  EXPECT_NE(result.err.find("invalid catalogue record"), std::string::npos);
}

TEST(SyncCycle, RejectedServicesAreParkedWithThePortalsReasonAndNotPushedAgain) {
  SimProcess sim({"--services", "200", "--full", "100", "--integrated", "150", "--reject", "3"});
  DaemonRun daemon(sim);
  const DaemonResult first = daemon.once();
  EXPECT_EQ(first.exit_code, kNotInSync) << describe(first);
  EXPECT_EQ(sim.ledger().rejections, 3u);
  auto status = daemon.status();
  EXPECT_EQ(status["queue"]["rejected"].GetInt64(), 3);
  EXPECT_EQ(status["last_cycle"]["failed"].GetInt64(), 3);
  EXPECT_STREQ(status["last_cycle"]["result"].GetString(), "partial");
  ASSERT_EQ(status["rejected_services"].Size(), 3u);
  EXPECT_NE(std::string(status["rejected_services"][0]["reason"].GetString()).find("HTTP 422"),
            std::string::npos);
  EXPECT_DOUBLE_EQ(status["coverage"]["percent"].GetDouble(), sim.coverage().percent);
  EXPECT_DOUBLE_EQ(status["coverage"]["percent"].GetDouble(), 98.5);

  const std::uint64_t puts = sim.ledger().puts;
  const DaemonResult second = daemon.once();
  EXPECT_EQ(second.exit_code, kNotInSync) << "a parked reject still leaves a service out of sync";
  EXPECT_EQ(sim.ledger().puts, puts) << "parked services must not be pushed again unchanged";
  EXPECT_EQ(daemon.status()["queue"]["rejected"].GetInt64(), 3);

  // The province fixes one of them: its new content is pushed (and here
  // rejected again, since the simulator rejects that code whatever it holds).
  const std::string fixed = status["rejected_services"][0]["code"].GetString();
  sim.edit_code(fixed);
  const DaemonResult third = daemon.once();
  EXPECT_EQ(sim.ledger().puts, puts + 1) << describe(third);
  EXPECT_EQ(sim.ledger().rejections, 4u);
}

TEST(SyncCycle, AConfigErrorNamesTheKeyAndLineAndExits2) {
  SimProcess sim;
  DaemonRun daemon(sim, "poll_intervall = \"5m\"");
  const DaemonResult result = daemon.once();
  EXPECT_EQ(result.exit_code, kFatal);
  EXPECT_NE(result.err.find("poll_intervall"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("portal-syncd.toml:4:"), std::string::npos) << "the line of the key\n"
                                                                        << result.err;
  EXPECT_EQ(sim.ledger().catalogue_pages, 0u);
}

TEST(SyncCycle, TheSecretNeverReachesTheLogsOrTheStatusFile) {
  SimProcess sim({"--services", "50", "--full", "25", "--integrated", "10", "--reject", "2"});
  DaemonRun daemon(sim);
  const DaemonResult once = daemon.run({"--once", "--log-level", "trace"});
  const DaemonResult dry = daemon.run({"--dry-run", "--log-level", "trace"});
  for (const std::string& text :
       {once.out, once.err, dry.out, dry.err, read_file(daemon.status_path())}) {
    EXPECT_EQ(text.find(sim.client_secret()), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace psd::testing
