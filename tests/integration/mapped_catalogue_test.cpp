// The mapped dialect end to end: the real portal-syncd reads portal-sim's
// catalogue in foreign shapes (contract dialects.md) over loopback HTTP,
// with a real state.db, and pushes the contract's records.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string_view>

#include "tests/integration/daemon_process.hpp"
#include "tests/integration/mapped_support.hpp"
#include "tests/support/ledger_has.hpp"

namespace psd::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kOk = 0, kConfigError = 2, kListingFailed = 3;

// Pushes at loopback speed: the default 20 per second would make each run last seconds.
constexpr const char* kFastPortal = "max_requests_per_second = 1000\n";

std::uint64_t information_only(const DaemonRun& daemon) {
  const auto status = daemon.status();
  return status["catalogue"]["information_only"].GetUint64();
}

/// `mapping` without its [envelope].total line: a listing of unknown length.
std::string without_total(std::string mapping) {
  const auto at = mapping.find("total = \"/total\"\n");
  EXPECT_NE(at, std::string::npos) << mapping;
  if (at != std::string::npos) mapping.erase(at, std::string_view("total = \"/total\"\n").size());
  return mapping;
}

/// Every "Done when" of issue 12 holds on each foreign shape portal-sim serves.
class EveryShape : public ::testing::TestWithParam<Shape> {};

INSTANTIATE_TEST_SUITE_P(MappedCatalogue, EveryShape, every_shape(), shape_test_name);

TEST_P(EveryShape, ConvergesAndASecondRunPushesNothing) {
  SimProcess sim(sim_args(GetParam(), {"--services", "300", "--full", "150", "--integrated", "100",
                                       "--information", "12"}));
  DaemonRun daemon(sim);
  read_shape(daemon, sim, GetParam());

  const DaemonResult first = daemon.once();
  ASSERT_EQ(first.exit_code, kOk) << describe(first);
  const SimLedger ledger = sim.ledger();
  EXPECT_TRUE(ledger_has(ledger, {{"creates", 200}, {"updates", 0}}));
  // No stale write: every push holds the catalogue's content; no write off
  // the catalogue: no information-only service is pushed.
  EXPECT_TRUE(no_mistakes(ledger));
  // 312 records at 200 (opencps) or 100 (gateway) per request.
  EXPECT_EQ(ledger.catalogue_pages, GetParam() == Shape::opencps ? 2u : 4u);
  EXPECT_EQ(sim.coverage().in_sync, 300);

  const auto status = daemon.status();
  EXPECT_EQ(status["coverage"]["total"].GetInt64(), 300) << "information-only services not counted";
  EXPECT_DOUBLE_EQ(status["coverage"]["percent"].GetDouble(), 100.0);
  EXPECT_EQ(status["catalogue"]["information_only"].GetUint64(), 12u);

  const DaemonResult second = daemon.once();
  ASSERT_EQ(second.exit_code, kOk) << describe(second);
  EXPECT_EQ(sim.ledger().puts, ledger.puts) << "a second run pushes nothing";
  EXPECT_EQ(sim.ledger().catalogue_pages, 2 * ledger.catalogue_pages)
      << "every cycle reads the whole foreign catalogue";
}

TEST(MappedCatalogue, TheGatewayShapeConvergesAndNamesEveryBadValue) {
  SimProcess sim({"--services", "250", "--full", "120", "--integrated", "50", "--stale", "10",
                  "--information", "9", "--invalid", "5", "--suspended", "4"});
  DaemonRun daemon(sim);
  write_file(daemon.dir() / "tthc.toml", mapping_text(Shape::gateway));
  use_mapping(daemon, sim, sim.provincial_url(), "tthc.toml");

  const DaemonResult first = daemon.once();
  ASSERT_EQ(first.exit_code, kOk) << describe(first);
  const SimLedger ledger = sim.ledger();
  EXPECT_TRUE(ledger_has(ledger, {{"creates", 200}, {"updates", 10}}));
  EXPECT_TRUE(no_mistakes(ledger));
  const sim::Coverage coverage = sim.coverage();
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

/// Services the status file counts under agency codes of before 2025 ("000.20.").
std::int64_t under_old_codes(const DaemonRun& daemon) {
  std::int64_t services = 0;
  const auto status = daemon.status();  // alive for the loop: it owns the members
  for (const auto& [agency, tally] : status["coverage"]["by_agency"].GetObject()) {
    if (std::string_view(agency.GetString()).starts_with("000.20.")) {
      services += tally["total"].GetInt64();
    }
  }
  return services;
}

/// The services a plan's "Agency remap" lines say the rows move, summed.
std::int64_t moved_by_remap_rows(const std::string& plan) {
  EXPECT_THAT(plan, HasSubstr("Agency remap (services each row moves):"));
  std::int64_t moved = 0;
  std::istringstream lines(plan);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("  000.20.") && line.find(" -> ") != std::string::npos) {
      moved += std::stoll(line.substr(line.rfind(": ") + 2));
    }
  }
  return moved;
}

TEST_P(EveryShape, ARemapMovesServicesToTheirNewAgencyCodes) {
  SimProcess sim(sim_args(GetParam(), {"--services", "200", "--full", "100", "--integrated", "0",
                                       "--information", "5", "--old-agency-codes"}));
  DaemonRun daemon(sim, "", kFastPortal);
  read_shape(daemon, sim, GetParam());
  ASSERT_EQ(daemon.once().exit_code, kOk);
  // Pushed as the catalogue shows them: some under pre-2025 agency codes.
  const std::int64_t old_codes = under_old_codes(daemon);
  ASSERT_GT(old_codes, 0);
  ASSERT_LT(sim.coverage().in_sync, 200) << "the simulator's catalogue has the new codes";
  const std::uint64_t creates = sim.ledger().creates;

  const SimResponse csv = sim.get("/_sim/agency-remap.csv");
  ASSERT_EQ(csv.status, 200);
  use_remap(daemon, csv.body);
  const DaemonResult plan = daemon.run({"--dry-run"});
  ASSERT_EQ(plan.exit_code, kOk) << describe(plan);
  EXPECT_THAT(plan.out, HasSubstr("info only"));
  const std::int64_t moved = moved_by_remap_rows(plan.out);
  EXPECT_EQ(moved, old_codes) << plan.out;
  EXPECT_THAT(plan.out,
              HasSubstr("update    " + std::string(8 - std::to_string(moved).size(), ' ') +
                        std::to_string(moved)));

  const DaemonResult moved_run = daemon.once();
  ASSERT_EQ(moved_run.exit_code, kOk) << describe(moved_run);
  const SimLedger ledger = sim.ledger();
  EXPECT_EQ(ledger.updates, static_cast<std::uint64_t>(old_codes)) << "moved as updates";
  EXPECT_EQ(ledger.creates, creates);
  EXPECT_EQ(ledger.wasted_writes, 0u);
  EXPECT_EQ(sim.coverage().in_sync, 200) << "the portal now holds every service's new agency";
  EXPECT_EQ(under_old_codes(daemon), 0);
  EXPECT_EQ(daemon.status()["coverage"]["total"].GetInt64(), 200);
  EXPECT_EQ(information_only(daemon), 5u);
}

TEST_P(EveryShape, PortalSyncctlPlanShowsWhatEachRemapRowMoves) {
  SimProcess sim(sim_args(GetParam(), {"--services", "120", "--full", "60", "--integrated", "0",
                                       "--old-agency-codes"}));
  const SimResponse csv = sim.get("/_sim/agency-remap.csv");
  ASSERT_EQ(csv.status, 200);
  DaemonProcess::Options options;
  options.extra_toml = "poll_interval = \"1h\"\n";
  options.national_extra = kFastPortal;
  options.prepare = [&](const DaemonRun& run) {
    read_shape(run, sim, GetParam());
    use_remap(run, csv.body);
  };
  DaemonProcess daemon(sim, options);
  ASSERT_TRUE(daemon.wait_first_cycle()) << daemon.log();
  EXPECT_EQ(sim.coverage().in_sync, 120) << daemon.log();

  const CtlResult plan = daemon.ctl({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  const std::int64_t moved = moved_by_remap_rows(plan.out);
  EXPECT_GT(moved, 0) << plan.out;
  EXPECT_EQ(under_old_codes(daemon.run()), 0) << "coverage only under the new codes";
  std::int64_t odd_agencies = 0;  // what --old-agency-codes changed, by the simulator's rule
  const auto status = daemon.run().status();
  for (const auto& [agency, tally] : status["coverage"]["by_agency"].GetObject()) {
    const std::string code = agency.GetString();
    if (code.starts_with("000.00.") && std::stoi(code.substr(7, 2)) % 2 == 1) {
      odd_agencies += tally["total"].GetInt64();
    }
  }
  EXPECT_EQ(moved, odd_agencies) << plan.out;
}

/// Tear `shape`'s listing, read through `mapping`, on every read (the first
/// and its three restarts): the cycle fails saying `why`, and pushes nothing.
void expect_torn_every_time(Shape shape, const std::string& mapping, const std::string& why) {
  SimProcess sim(sim_args(
      shape, {"--services", "300", "--full", "150", "--integrated", "0", "--information", "3"}));
  DaemonRun daemon(sim);
  read_shape(daemon, sim, shape, mapping);
  sim.tear(4);  // each tear adds a service at the front, after page 1
  const DaemonResult torn = daemon.once();
  EXPECT_EQ(torn.exit_code, kListingFailed) << describe(torn);
  EXPECT_THAT(torn.err, HasSubstr(why));
  EXPECT_THAT(torn.err,
              HasSubstr("the catalogue changed while it was being read, 4 times in a row"));
  EXPECT_EQ(sim.ledger().puts, 0u);
  EXPECT_EQ(sim.ledger().torn_listings, 4u);
}

TEST_P(EveryShape, AChangedTotalTearsTheListingAndNothingIsPushed) {
  expect_torn_every_time(GetParam(), mapping_text(GetParam()), "total changed from");
}

TEST_P(EveryShape, ACodeOnTwoPagesTearsAListingWithoutATotal) {
  // Without a total only the repeated code (page 1's last, again first on page 2) shows it.
  expect_torn_every_time(GetParam(), without_total(mapping_text(GetParam())), "was on page 1 too");
}

TEST_P(EveryShape, OneTornListingIsReadAgain) {
  SimProcess sim(sim_args(GetParam(), {"--services", "250", "--full", "100", "--integrated", "0",
                                       "--information", "3"}));
  DaemonRun daemon(sim, "", kFastPortal);
  read_shape(daemon, sim, GetParam());
  sim.tear(1);
  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, kOk) << describe(result);
  EXPECT_TRUE(
      ledger_has(sim.ledger(), {{"torn_listings", 1}, {"creates", 250}, {"wasted_writes", 0}}));
  EXPECT_EQ(information_only(daemon), 4u) << "the service added while reading is counted too";
}

TEST_P(EveryShape, TransientFailuresAreRetriedAsForTheContractsCatalogue) {
  SimProcess sim(sim_args(GetParam(), {"--services", "250", "--full", "100", "--integrated", "0"}));
  DaemonRun daemon(sim, "", kFastPortal);
  read_shape(daemon, sim, GetParam());
  sim.fail({.target = "catalogue", .status = 503, .count = 2});
  sim.fail({.target = "catalogue", .kind = "reset"});
  sim.fail({.target = "catalogue", .status = 200, .body = "html"});  // a gateway's maintenance page
  const DaemonResult result = daemon.once();
  ASSERT_EQ(result.exit_code, kOk) << describe(result);
  const SimLedger ledger = sim.ledger();
  EXPECT_TRUE(ledger_has(ledger, {{"injected_503", 2}, {"resets", 1}, {"html_pages", 1}}));
  EXPECT_TRUE(ledger_has(ledger, {{"creates", 250}, {"wasted_writes", 0}}));
}

TEST(MappedCatalogue, AGatewayErrorFailsTheListingQuotingItsMessage) {
  SimProcess sim({"--services", "10", "--full", "5", "--integrated", "0"});
  DaemonRun daemon(sim);
  // The same shape, but "ok" read where the gateway puts its text: never 0.
  std::string mapping = mapping_text(Shape::gateway);
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
             mapping_text(Shape::gateway) + "[defaults]\nstatus = \"open\"\n");
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
  write_file(daemon.dir() / "tthc.toml", mapping_text(Shape::gateway));
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
