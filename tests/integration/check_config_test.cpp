// portal-syncd --check-config: the daemon's own start-up check (config::load_and_check)
// without a cycle. It passes the shipped and test configs, refuses each class
// of error with exit 2 naming the file, key and line, and never sends a request
// (the simulator counts every one) nor writes a file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/integration/daemon_run.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/test_ca.hpp"

namespace psd::testing {
namespace {

namespace fs = std::filesystem;

/// The 1-based line of the first line of `text` that starts with `start`, or 0.
int line_of(const std::string& text, const std::string& start) {
  int line = 1;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text.compare(at, start.size(), start) == 0) return line;
    at = text.find('\n', at);
    if (at == std::string::npos) break;
    ++at;
    ++line;
  }
  return 0;
}

/// Every file under `dir` but the config and the secret: what a run wrote.
std::vector<std::string> written(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name != "portal-syncd.toml" && name != "client_secret") files.push_back(name);
  }
  return files;
}

class CheckConfig : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(sim_.ledger().requests, 0u) << "--check-config must open no connection";
  }
  SimProcess sim_{std::vector<std::string>{"--services", "5", "--full", "2", "--integrated", "0"}};
};

TEST_F(CheckConfig, TheTestConfigIsOkAndListsTheFilesItReads) {
  DaemonRun run(sim_, "metrics_file = \"metrics.prom\"\ncontrol_socket = \"ctl.sock\"\n");
  const DaemonResult result = run.run({"--check-config"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("configuration OK: " + run.config_path().string()), std::string::npos)
      << result.out;
  EXPECT_NE(
      result.out.find((run.dir() / "client_secret").string() + " (national.client_secret_file)"),
      std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find(sim_.client_secret()), std::string::npos) << "never the secret";
  EXPECT_TRUE(written(run.dir()).empty()) << "wrote " << written(run.dir()).front();
}

TEST_F(CheckConfig, TlsFilesAreReadAndListed) {
  const auto& ca = test_ca();
  DaemonRun run(sim_, "", "",
                "allow_insecure_http = true\nca_file = \"" + ca.ca_cert + "\"\nclient_cert = \"" +
                    ca.client_cert + "\"\nclient_key = \"" + ca.client_key + "\"\n");
  const DaemonResult result = run.run({"--check-config"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (const auto& key : {"tls.ca_file", "tls.client_cert", "tls.client_key"}) {
    EXPECT_NE(result.out.find(std::string("(") + key + ")"), std::string::npos) << result.out;
  }
}

TEST_F(CheckConfig, TheShippedExamplesAreOk) {
  const fs::path source = PSD_SOURCE_DIR;
  DaemonRun scratch(sim_);
  // The annotated example names client_secret next to itself.
  fs::copy_file(source / "config/portal-syncd.toml", scratch.dir() / "example.toml");
  ChildProcess example(PSD_DAEMON_BINARY,
                       {"--check-config", "--config", (scratch.dir() / "example.toml").string()});
  ASSERT_EQ(example.wait(std::chrono::seconds(30)), 0) << example.stderr_text();
  example.wait_output_closed(std::chrono::seconds(5));
  EXPECT_NE(example.stdout_text().find("configuration OK"), std::string::npos);

  // The instance example gets its secret from systemd's LoadCredential=.
  ChildOptions options;
  options.env = {"CREDENTIALS_DIRECTORY=" + scratch.dir().string()};
  ChildProcess instance(PSD_DAEMON_BINARY,
                        {"--check-config", "--config", (source / "systemd/H43.toml").string()},
                        options);
  ASSERT_EQ(instance.wait(std::chrono::seconds(30)), 0) << instance.stderr_text();
  instance.wait_output_closed(std::chrono::seconds(5));
  EXPECT_NE(instance.stdout_text().find((scratch.dir() / "client_secret").string()),
            std::string::npos)
      << instance.stdout_text();
}

/// One class of error: the config DaemonRun writes with these parts (then
/// `from` replaced by `to`), the line it is blamed on (the first line that
/// starts with `line_start`), the dotted key and what the message says.
struct BadCase {
  const char* name;
  std::string extra_toml;
  std::string national_extra;
  std::string tls_table;
  std::string from;
  std::string to;
  std::string line_start;
  std::string key;
  std::string says;
};

TEST_F(CheckConfig, EachClassOfErrorExits2NamingFileKeyAndLine) {
  const std::string http = "allow_insecure_http = true\n";
  const std::string national = sim_.national_url();
  const std::vector<BadCase> cases = {
      {"TOML syntax", "poll_interval = \"5m\n", "", http, "", "", "poll_interval", "",
       "TOML syntax error"},
      {"unknown key", "pol_interval = \"5m\"\n", "", http, "", "", "pol_interval", "pol_interval",
       "poll_interval"},
      {"wrong type", "poll_interval = 5\n", "", http, "", "", "poll_interval", "poll_interval", ""},
      {"out of range", "", "max_concurrency = 0\n", http, "", "", "max_concurrency",
       "national.max_concurrency", ""},
      {"bad duration", "poll_interval = \"5 minutes\"\n", "", http, "", "", "poll_interval",
       "poll_interval", ""},
      {"plain http refused", "", "", "", "", "", "base_url", "provincial.base_url", "https://"},
      {"URL scheme", "", "", http, "base_url = \"" + national, "base_url = \"ftp://portal",
       "base_url = \"ftp", "national.base_url", "ftp://portal"},
      {"missing TLS file", "", "", http + "ca_file = \"/nonexistent/ca.pem\"\n", "", "", "ca_file",
       "tls.ca_file", "cannot read /nonexistent/ca.pem"},
      {"missing token file", "", "", http, "page_size = 100",
       "page_size = 100\ntoken_file = \"no-token\"", "token_file", "provincial.token_file",
       "cannot read secret file"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    DaemonRun run(sim_, c.extra_toml, c.national_extra, c.tls_table);
    std::string text = read_file(run.config_path());
    if (!c.from.empty()) {
      const auto at = text.find(c.from);
      ASSERT_NE(at, std::string::npos) << text;
      text.replace(at, c.from.size(), c.to);
      std::ofstream(run.config_path()) << text;
    }
    const DaemonResult result = run.run({"--check-config"});
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    const int line = line_of(text, c.line_start);
    ASSERT_GT(line, 0) << text;
    EXPECT_NE(result.err.find(run.config_path().string() + ":" + std::to_string(line)),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find(c.key), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(c.says), std::string::npos) << result.err;
    EXPECT_EQ(result.out.find("configuration OK"), std::string::npos);
    EXPECT_TRUE(written(run.dir()).empty());
  }
}

TEST_F(CheckConfig, SecretFilesAreCheckedAsTheDaemonReadsThem) {
  DaemonRun run(sim_, "", "", "allow_insecure_http = true\n");
  const std::string text = read_file(run.config_path());
  const std::string where =
      run.config_path().string() + ":" + std::to_string(line_of(text, "client_secret_file"));

  fs::remove(run.dir() / "client_secret");
  DaemonResult result = run.run({"--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(where + ": national.client_secret_file: cannot read secret file " +
                            (run.dir() / "client_secret").string()),
            std::string::npos)
      << result.err;

  std::ofstream(run.dir() / "client_secret") << "\n";
  result = run.run({"--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("is empty"), std::string::npos) << result.err;

  std::ofstream(run.dir() / "client_secret") << "one\ntwo\n";
  result = run.run({"--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("more than one line"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("two"), std::string::npos) << "never quotes the secret";
}

TEST_F(CheckConfig, AMissingKeyAndAMissingFileExit2) {
  DaemonRun run(sim_);
  std::string text = read_file(run.config_path());
  text.erase(0, text.find('\n') + 1);  // drop province
  std::ofstream(run.config_path()) << text;
  DaemonResult result = run.run({"--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(run.config_path().string() + ": province:"), std::string::npos)
      << result.err;

  ChildProcess missing(PSD_DAEMON_BINARY,
                       {"--check-config", "--config", (run.dir() / "nope.toml").string()});
  EXPECT_EQ(missing.wait(std::chrono::seconds(30)), 2);
  missing.wait_output_closed(std::chrono::seconds(5));
  EXPECT_NE(missing.stderr_text().find("nope.toml: cannot read the configuration file"),
            std::string::npos)
      << missing.stderr_text();
}

TEST_F(CheckConfig, StartRefusesWhatCheckConfigRefuses) {
  DaemonRun run(sim_, "", "", "allow_insecure_http = true\nca_file = \"missing-ca.pem\"\n");
  const DaemonResult check = run.run({"--check-config"});
  const DaemonResult once = run.run({"--once"});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_EQ(once.exit_code, 2);
  EXPECT_NE(once.err.find("tls.ca_file: cannot read " + (run.dir() / "missing-ca.pem").string()),
            std::string::npos)
      << once.err;
  EXPECT_NE(check.err.find("tls.ca_file: cannot read"), std::string::npos) << check.err;
}

}  // namespace
}  // namespace psd::testing
