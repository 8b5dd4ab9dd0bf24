// The client secret and every access token stay in memory: not in a log
// line (at trace level), the status file, the metrics file, state.db,
// --dry-run output or an error message — through 401s, rejections and a
// wrong secret. portal-sim's tokens all start with "simtok.", so one search
// finds any of them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/sim_process.hpp"

namespace psd::testing {
namespace {

constexpr const char* kTokenPrefix = "simtok.";

/// Every file the daemon wrote under its scratch folder, as bytes.
std::vector<std::pair<std::string, std::string>> written_files(const DaemonRun& run) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(run.dir())) {
    if (!entry.is_regular_file() || entry.path().filename() == "client_secret") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files.emplace_back(entry.path().string(), std::string(std::istreambuf_iterator<char>(in), {}));
  }
  return files;
}

void expect_no_secret(const std::string& where, const std::string& text, const SimProcess& sim) {
  EXPECT_EQ(text.find(sim.client_secret()), std::string::npos) << where << ":\n" << text;
  EXPECT_EQ(text.find(kTokenPrefix), std::string::npos) << where << ":\n" << text;
}

TEST(Secrets, NeverReachLogsStatusMetricsStateOrDryRunOutput) {
  SimProcess sim({"--services", "60", "--full", "30", "--integrated", "10", "--reject", "2",
                  "--token-ttl", "1", "--latency-ms", "20"});
  const std::string metrics = "metrics_file = \"metrics.prom\"\n";
  DaemonRun run(sim, metrics, "max_requests_per_second = 1000\n");
  // Revoked tokens make the daemon meet 401s and fetch new ones mid-run.
  sim.fail({.target = "put", .status = 401, .count = 3});
  const DaemonResult once = run.run({"--once", "--log-level", "trace"});
  sim.edit(3);
  const DaemonResult dry = run.run({"--dry-run", "--log-level", "trace"});
  EXPECT_GT(sim.ledger().token_requests, 1u) << "the run should have renewed its token";
  EXPECT_FALSE(once.err.empty());

  for (const auto& [name, text] : {std::pair<std::string, std::string>{"once stdout", once.out},
                                   {"once log", once.err},
                                   {"dry-run stdout", dry.out},
                                   {"dry-run log", dry.err}}) {
    expect_no_secret(name, text, sim);
  }
  const auto files = written_files(run);
  EXPECT_GE(files.size(), 3u) << "config, status file and state.db at least";
  for (const auto& [name, bytes] : files) expect_no_secret(name, bytes, sim);
}

TEST(Secrets, AWrongSecretIsAClearErrorThatDoesNotQuoteIt) {
  SimProcess sim({"--services", "5", "--full", "2", "--integrated", "0"});
  DaemonRun run(sim);
  const std::string wrong = "wrong-secret-4f1c";
  std::ofstream(run.dir() / "client_secret") << wrong << "\n";
  const DaemonResult once = run.run({"--once", "--log-level", "trace"});
  EXPECT_EQ(once.exit_code, 2) << once.err;
  EXPECT_NE(once.err.find("client secret"), std::string::npos) << once.err;
  EXPECT_NE(once.err.find(sim.token_url()), std::string::npos) << "names the URL: " << once.err;
  EXPECT_EQ(once.err.find(wrong), std::string::npos) << once.err;
  for (const auto& [name, bytes] : written_files(run)) {
    if (name.ends_with("portal-syncd.toml")) continue;
    EXPECT_EQ(bytes.find(wrong), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace psd::testing
