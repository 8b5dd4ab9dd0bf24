// The harness end to end, and portal-sim's process behaviour: the listening
// line, --help, usage errors, and the ledger table on SIGTERM.

#include "tests/support/sim_process.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace psd::testing {
namespace {

using namespace std::chrono_literals;

// Every field of the run-time profile reaches portal-sim by its option and
// comes back under its name into its own member of SimFaultProfile, which
// gives it back as the same option (FaultInjection tests POST /_sim/faults).
TEST(SimProcess, EveryFaultProfileFieldReachesTheSimulatorByItsName) {
  std::vector<std::string> args;
  std::istringstream words(
      "--p500 0.0625 --p503 0.125 --p503-retry-after-share 0.5 --retry-after-seconds 4 "
      "--p-reset 0.03125 --p-apply-reset 0.015625 --p-slow 0.25 --slow-ms 8 --p-html 0.0078125 "
      "--fault-targets put,catalogue --latency-ms 11 --rate-limit 12 --max-concurrency 13 "
      "--token-ttl 14");
  for (std::string word; words >> word;) args.push_back(word);
  const SimProcess sim(args);
  const SimResponse got = sim.get("/_sim/faults");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(
      got.body,
      R"({"p500":0.0625,"p503":0.125,"p503_retry_after_share":0.5,"retry_after_seconds":4,)"
      R"("p_reset":0.03125,"p_apply_reset":0.015625,"p_slow":0.25,"slow_ms":8,"p_html":0.0078125,)"
      R"("targets":"put,catalogue","latency_ms":11,"rate_limit":12,"max_concurrency":13,)"
      R"("token_ttl":14})");
  const SimFaultProfile faults = sim.faults();
  EXPECT_EQ(faults.to_args(), args);
  EXPECT_EQ(*faults.p503, 0.125);
  EXPECT_EQ(*faults.p_slow, 0.25);
  EXPECT_EQ(*faults.rate_limit, 12);
}

TEST(SimProcess, UrlsAndDefaults) {
  SimProcess sim;
  EXPECT_GT(sim.port(), 0);
  EXPECT_EQ(sim.base_url(), "http://127.0.0.1:" + std::to_string(sim.port()));
  EXPECT_EQ(sim.provincial_url(), sim.base_url() + "/provincial");
  EXPECT_EQ(sim.national_url(), sim.base_url() + "/national");
  EXPECT_EQ(sim.token_url(), sim.base_url() + "/national/oauth2/token");
  EXPECT_EQ(sim.province(), "H43");

  const sim::Coverage c = sim.coverage();
  EXPECT_EQ(c.total_active, 1126);
  EXPECT_EQ(c.integrated, 985);
  EXPECT_EQ(c.in_sync, 985);
  EXPECT_DOUBLE_EQ(c.percent, 87.48);
  EXPECT_EQ(c.full.total, 582);
  EXPECT_EQ(c.partial.total, 544);
  EXPECT_EQ(c.full.integrated + c.partial.integrated, 985);
  EXPECT_GE(c.by_agency.size(), 18u);

  const SimServices s = sim.services();
  EXPECT_EQ(s.records.size(), 1126u);
  EXPECT_EQ(s.version, c.catalogue_version);

  const auto edited = sim.edit(3);
  EXPECT_EQ(edited.size(), 3u);
  EXPECT_EQ(sim.ledger().edits, 3u);
  const sim::Coverage after = sim.coverage();
  EXPECT_NE(after.catalogue_version, c.catalogue_version);
  EXPECT_LE(after.in_sync, 985);
  EXPECT_GE(after.in_sync, 982);
  sim.reset_ledger();
  EXPECT_EQ(sim.ledger().edits, 0u);
  EXPECT_FALSE(sim.access_token().empty());
  EXPECT_EQ(sim.ledger().token_requests, 1u);
}

TEST(SimProcess, OptionsReachTheSimulator) {
  SimProcess sim({"--province", "H01", "--services", "10", "--full", "4", "--integrated", "6",
                  "--client-id", "province-h01", "--client-secret=s3cret", "--orphans", "2"});
  EXPECT_EQ(sim.province(), "H01");
  EXPECT_EQ(sim.client_id(), "province-h01");
  EXPECT_EQ(sim.client_secret(), "s3cret");
  EXPECT_FALSE(sim.access_token().empty());
  const auto c = sim.coverage();
  EXPECT_EQ(c.total_active, 10);
  EXPECT_EQ(c.integrated, 6);
  EXPECT_EQ(c.orphaned, 2);
  EXPECT_EQ(sim.services().records[0].code.substr(sim.services().records[0].code.size() - 4),
            ".H01");
}

TEST(SimProcess, SigtermPrintsTheLedgerAndExitsZero) {
  SimProcess sim({"--services", "3", "--full", "1", "--integrated", "1"});
  sim.access_token();
  EXPECT_EQ(sim.stop(), 0);
  const std::string out = sim.stdout_text();
  EXPECT_EQ(out.rfind("portal-sim listening on http://127.0.0.1:", 0), 0u) << out;
  EXPECT_NE(out.find("token_requests"), std::string::npos) << out;
  EXPECT_NE(out.find("max_in_flight"), std::string::npos) << out;
  EXPECT_NE(out.find("coverage: 1/3 integrated"), std::string::npos) << out;
  EXPECT_EQ(sim.stop(), 0) << "idempotent";
}

TEST(SimProcess, SigintToo) {
  SimProcess sim({"--services", "1", "--full", "0", "--integrated", "0"});
  sim.process().signal(SIGINT);
  EXPECT_EQ(sim.process().wait(10s), 0);
}

TEST(SimProcess, OnlyOneListeningLine) {
  SimProcess sim({"--services", "1", "--full", "0", "--integrated", "0"});
  const std::string out = sim.stdout_text();
  EXPECT_EQ(out, "portal-sim listening on http://127.0.0.1:" + std::to_string(sim.port()) + "\n");
}

TEST(SimProcess, BadOptionsThrowWithTheMessage) {
  try {
    SimProcess sim({"--full", "5000"});
    FAIL() << "started";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--full"), std::string::npos) << e.what();
  }
}

TEST(PortalSimBinary, HelpAndUsageErrors) {
  ChildProcess help(sim_binary(), {"--help"});
  EXPECT_EQ(help.wait(10s), 0);
  help.wait_output_closed(5s);
  for (const char* option :
       {"--port", "--province", "--services", "--full", "--integrated", "--stale", "--orphans",
        "--reject", "--invalid", "--suspended", "--seed", "--client-id", "--client-secret",
        "--token-ttl", "--latency-ms", "/_sim/ledger", "/_sim/edit", "/_sim/tear"}) {
    EXPECT_NE(help.stdout_text().find(option), std::string::npos) << option;
  }
  ChildProcess bad(sim_binary(), {"--no-such-option"});
  EXPECT_EQ(bad.wait(10s), 2);
  bad.wait_output_closed(5s);
  EXPECT_NE(bad.stderr_text().find("--no-such-option"), std::string::npos);
}

TEST(PortalSimBinary, FixedPortInUseFails) {
  SimProcess first({"--services", "1", "--full", "0", "--integrated", "0"});
  ChildProcess second(sim_binary(), {"--port", std::to_string(first.port())});
  EXPECT_EQ(second.wait(10s), 1);
}

}  // namespace
}  // namespace psd::testing
