// The mapped dialect end to end: the real portal-syncd reads portal-sim's
// catalogue in foreign shapes (contract dialects.md) over loopback HTTP,
// with a real state.db, and pushes the contract's records.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/daemon_run.hpp"

namespace psd::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kOk = 0, kConfigError = 2, kListingFailed = 3;

// The TD-style shape portal-sim serves at /provincial/gateway/thutuc.
const std::string kGatewayMapping =
    read_file(std::filesystem::path(PSD_TEST_DATA_DIR) / "gateway-mapping.toml");

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// Point the daemon's config at `base_url` with dialect "mapped" and `mapping_file`.
void use_mapping(const DaemonRun& daemon, const SimProcess& sim, const std::string& base_url,
                 const std::string& mapping_file) {
  std::string config = read_file(daemon.config_path());
  const std::string old_line = "base_url = \"" + sim.provincial_url() + "\"\n";
  const auto at = config.find(old_line);
  ASSERT_NE(at, std::string::npos) << config;
  config.replace(at, old_line.size(),
                 "base_url = \"" + base_url + "\"\ndialect = \"mapped\"\nmapping_file = \"" +
                     mapping_file + "\"\n");
  write_file(daemon.config_path(), config);
}

void use_remap(const DaemonRun& daemon, const std::string& csv) {
  write_file(daemon.dir() / "agency-remap.csv", csv);
  std::ofstream(daemon.config_path(), std::ios::app)
      << "\n[agencies]\nremap_file = \"agency-remap.csv\"\n";
}

std::uint64_t information_only(const DaemonRun& daemon) {
  const auto status = daemon.status();
  return status["catalogue"]["information_only"].GetUint64();
}

TEST(MappedCatalogue, TheOpencpsPresetConvergesAndASecondRunPushesNothing) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "100", "--information",
                  "12", "--opencps-values"});
  DaemonRun daemon(sim);
  use_mapping(daemon, sim, sim.provincial_url() + "/opencps", "opencps");

  const DaemonResult first = daemon.once();
  ASSERT_EQ(first.exit_code, kOk) << describe(first);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.creates, 200u);
  EXPECT_EQ(ledger.updates, 0u);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(ledger.stale_writes, 0u) << "every push holds the catalogue's content";
  EXPECT_EQ(ledger.off_catalogue_writes, 0u) << "no information-only service is pushed";
  EXPECT_EQ(ledger.catalogue_pages, 2u) << "312 records at 200 per request";
  EXPECT_EQ(sim.coverage().in_sync, 300);

  const auto status = daemon.status();
  EXPECT_EQ(status["coverage"]["total"].GetInt64(), 300) << "information-only services not counted";
  EXPECT_DOUBLE_EQ(status["coverage"]["percent"].GetDouble(), 100.0);
  EXPECT_EQ(status["catalogue"]["information_only"].GetUint64(), 12u);

  const DaemonResult second = daemon.once();
  ASSERT_EQ(second.exit_code, kOk) << describe(second);
  EXPECT_EQ(sim.ledger().puts, ledger.puts) << "a second run pushes nothing";
  EXPECT_EQ(sim.ledger().catalogue_pages, 4u) << "every cycle reads the whole foreign catalogue";
}

TEST(MappedCatalogue, TheGatewayShapeConvergesAndNamesEveryBadValue) {
  SimProcess sim({"--services", "250", "--full", "120", "--integrated", "50", "--stale", "10",
                  "--information", "9", "--invalid", "5", "--suspended", "4"});
  DaemonRun daemon(sim);
  write_file(daemon.dir() / "tthc.toml", kGatewayMapping);
  use_mapping(daemon, sim, sim.provincial_url(), "tthc.toml");

  const DaemonResult first = daemon.once();
  ASSERT_EQ(first.exit_code, kOk) << describe(first);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.creates, 200u);
  EXPECT_EQ(ledger.updates, 10u);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(ledger.stale_writes, 0u);
  EXPECT_EQ(ledger.off_catalogue_writes, 0u);
  const SimCoverage coverage = sim.coverage();
  EXPECT_EQ(coverage.in_sync, 250);

  const auto status = daemon.status();
  EXPECT_EQ(status["coverage"]["total"].GetInt64(), coverage.total_active);
  EXPECT_EQ(status["coverage"]["in_sync"].GetInt64(), 250);
  EXPECT_EQ(status["catalogue"]["information_only"].GetUint64(), 9u);
  std::vector<std::string> reasons;
  for (const auto& record : status["invalid_records"].GetArray()) {
    reasons.emplace_back(record["reason"].GetString());
  }
  EXPECT_THAT(
      reasons,
      ::testing::UnorderedElementsAre(
          "field 'level': value \"online\" at /MUCDO is not in [values].level",
          "field 'name': nothing at /TENTTHC",
          "field 'fee_vnd': must be an integer from 0 to 9007199254740991 (value "
          "\"-50000\" at /LEPHI)",
          HasSubstr("field 'code': must be 1 to 64 characters of A-Z a-z 0-9 . _ - (value "),
          "field 'updated_at': value \"28/10/2024 09:15\" at /NGAYCAPNHAT is not "
          "yyyyMMddHHmmss ([values].updated_at)"));

  const DaemonResult second = daemon.once();
  ASSERT_EQ(second.exit_code, kOk) << describe(second);
  EXPECT_EQ(sim.ledger().puts, ledger.puts) << "a second run pushes nothing";
}

TEST(MappedCatalogue, ARemapMovesServicesToTheirNewAgencyCodes) {
  SimProcess sim({"--services", "200", "--full", "100", "--integrated", "0", "--information", "5",
                  "--old-agency-codes", "--opencps-values"});
  DaemonRun daemon(sim);
  use_mapping(daemon, sim, sim.provincial_url() + "/opencps", "opencps");
  ASSERT_EQ(daemon.once().exit_code, kOk);
  // Pushed as the catalogue shows them: some under pre-2025 agency codes.
  std::int64_t under_old_codes = 0;
  const auto before = daemon.status();  // alive for the loop: it owns the members
  for (const auto& [agency, tally] : before["coverage"]["by_agency"].GetObject()) {
    if (std::string_view(agency.GetString()).starts_with("000.20.")) {
      under_old_codes += tally["total"].GetInt64();
    }
  }
  ASSERT_GT(under_old_codes, 0);
  ASSERT_LT(sim.coverage().in_sync, 200) << "the simulator's catalogue has the new codes";
  const std::uint64_t creates = sim.ledger().creates;

  const SimResponse csv = sim.get("/_sim/agency-remap.csv");
  ASSERT_EQ(csv.status, 200);
  use_remap(daemon, csv.body);
  const DaemonResult plan = daemon.run({"--dry-run"});
  ASSERT_EQ(plan.exit_code, kOk) << describe(plan);
  EXPECT_THAT(plan.out, HasSubstr("Agency remap (services each row moves):"));
  EXPECT_THAT(plan.out, HasSubstr("info only"));
  std::int64_t moved = 0;
  std::istringstream lines(plan.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("  000.20.") && line.find(" -> ") != std::string::npos) {
      moved += std::stoll(line.substr(line.rfind(": ") + 2));
    }
  }
  EXPECT_EQ(moved, under_old_codes) << plan.out;
  EXPECT_THAT(plan.out,
              HasSubstr("update    " + std::string(8 - std::to_string(moved).size(), ' ') +
                        std::to_string(moved)));

  const DaemonResult moved_run = daemon.once();
  ASSERT_EQ(moved_run.exit_code, kOk) << describe(moved_run);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.updates, static_cast<std::uint64_t>(under_old_codes)) << "moved as updates";
  EXPECT_EQ(ledger.creates, creates);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(sim.coverage().in_sync, 200) << "the portal now holds every service's new agency";
  const auto status = daemon.status();
  for (const auto& [agency, tally] : status["coverage"]["by_agency"].GetObject()) {
    EXPECT_FALSE(std::string_view(agency.GetString()).starts_with("000.20.")) << agency.GetString();
  }
  EXPECT_EQ(status["coverage"]["total"].GetInt64(), 200);
  EXPECT_EQ(information_only(daemon), 5u);
}

TEST(MappedCatalogue, ATornForeignListingPushesNothing) {
  SimProcess sim({"--services", "300", "--full", "150", "--integrated", "0", "--information", "3",
                  "--opencps-values"});
  DaemonRun daemon(sim);
  use_mapping(daemon, sim, sim.provincial_url() + "/opencps", "opencps");
  sim.tear(4);  // the first listing and its three restarts
  const DaemonResult torn = daemon.once();
  EXPECT_EQ(torn.exit_code, kListingFailed) << describe(torn);
  EXPECT_THAT(torn.err,
              HasSubstr("the catalogue changed while it was being read, 4 times in a row"));
  EXPECT_EQ(sim.ledger().puts, 0u);
  EXPECT_EQ(sim.ledger().torn_listings, 4u);
}

TEST(MappedCatalogue, OneTornGatewayListingIsReadAgain) {
  SimProcess sim({"--services", "250", "--full", "100", "--integrated", "0", "--information", "3"});
  DaemonRun daemon(sim);
  write_file(daemon.dir() / "tthc.toml", kGatewayMapping);
  use_mapping(daemon, sim, sim.provincial_url(), "tthc.toml");
  sim.tear(1);
  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_EQ(sim.ledger().creates, 250u);
  EXPECT_EQ(sim.ledger().wasted_writes, 0u);
  EXPECT_EQ(information_only(daemon), 4u) << "the service added while reading is counted too";
}

TEST(MappedCatalogue, TransientFailuresAreRetriedAsForTheContractsCatalogue) {
  SimProcess sim({"--services", "250", "--full", "100", "--integrated", "0"});
  DaemonRun daemon(sim);
  write_file(daemon.dir() / "tthc.toml", kGatewayMapping);
  use_mapping(daemon, sim, sim.provincial_url(), "tthc.toml");
  sim.fail(SimFault::on("catalogue", 503, 2));
  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_EQ(sim.ledger().injected_503, 2u);
  EXPECT_EQ(sim.ledger().creates, 250u);
}

TEST(MappedCatalogue, AGatewayErrorFailsTheListingQuotingItsMessage) {
  SimProcess sim({"--services", "10", "--full", "5", "--integrated", "0"});
  DaemonRun daemon(sim);
  // The same shape, but "ok" read where the gateway puts its text: never 0.
  std::string mapping = kGatewayMapping;
  mapping.replace(mapping.find("ok = \"/error_code\""), 18, "ok = \"/message\"");
  write_file(daemon.dir() / "tthc.toml", mapping);
  use_mapping(daemon, sim, sim.provincial_url(), "tthc.toml");
  const DaemonResult result = daemon.once();
  EXPECT_EQ(result.exit_code, kListingFailed) << describe(result);
  EXPECT_THAT(result.err, HasSubstr("/provincial/gateway/thutuc?pageNumber=1&pageSize=100: page 1: "
                                    "status \"Thành công\" at [envelope].ok /message is not one "
                                    "of [envelope].ok_values (0): the server says \"Thành công\""));
  EXPECT_EQ(sim.ledger().puts, 0u);
}

TEST(MappedCatalogue, MappingErrorsStopTheDaemonNamingFileKeyAndLine) {
  SimProcess sim({"--services", "10", "--full", "5", "--integrated", "0"});
  DaemonRun daemon(sim);
  write_file(daemon.dir() / "tthc.toml",
             std::string(kGatewayMapping) + "[defaults]\nstatus = \"open\"\n");
  use_mapping(daemon, sim, sim.provincial_url(), "tthc.toml");
  for (const char* mode : {"--once", "--check-config"}) {
    const DaemonResult result = daemon.run({mode});
    EXPECT_EQ(result.exit_code, kConfigError) << mode;
    EXPECT_THAT(result.err, HasSubstr((daemon.dir() / "tthc.toml").string() +
                                      ":33: defaults.status: must be one of active, suspended"))
        << mode;
  }
  EXPECT_EQ(sim.ledger().catalogue_pages, 0u);

  // Fixed, --check-config names the mapping and the remap table it read.
  write_file(daemon.dir() / "tthc.toml", kGatewayMapping);
  use_remap(daemon, "old_code,new_code,new_name\nA,B,\n");
  const DaemonResult fixed = daemon.run({"--check-config"});
  EXPECT_EQ(fixed.exit_code, kOk) << describe(fixed);
  EXPECT_THAT(
      fixed.out,
      HasSubstr((daemon.dir() / "tthc.toml").string() + " (provincial.mapping_file), " +
                (daemon.dir() / "agency-remap.csv").string() + " (agencies.remap_file, 1 rows)"));
}

TEST(MappedCatalogue, PrintMappingShowsTheShippedPreset) {
  ChildProcess print(PSD_DAEMON_BINARY, {"--print-mapping", "opencps"});
  ASSERT_EQ(print.wait(std::chrono::seconds(30)), 0);
  print.wait_output_closed(std::chrono::seconds(5));
  EXPECT_EQ(print.stdout_text(),
            read_file(std::filesystem::path(PSD_SOURCE_DIR) / "config/mappings/opencps.toml"));

  ChildProcess unknown(PSD_DAEMON_BINARY, {"--print-mapping", "tdcs"});
  EXPECT_EQ(unknown.wait(std::chrono::seconds(30)), kConfigError);
  unknown.wait_output_closed(std::chrono::seconds(5));
  EXPECT_THAT(unknown.stderr_text(), HasSubstr("no preset named 'tdcs' (presets: opencps)"));
}

}  // namespace
}  // namespace psd::testing
