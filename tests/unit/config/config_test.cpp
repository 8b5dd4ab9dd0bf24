// The loader as a whole: defaults, the example file, unknown and missing
// keys, syntax errors and unreadable files.

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/unit/config/config_test_support.hpp"

namespace psd::config::test {
namespace {

using namespace std::chrono_literals;

/// `duration` as a config file writes it, in the largest unit that holds it
/// whole (h, m, s or ms).
std::string duration_text(Duration duration) {
  const std::pair<std::int64_t, const char*> units[] = {
      {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
  for (const auto& [ms, unit] : units) {
    if (duration.count() != 0 && duration.count() % ms == 0) {
      return std::to_string(duration.count() / ms) + unit;
    }
  }
  return std::to_string(duration.count()) + "ms";
}

/// Every key of `config` that has a default of its own, by dotted name, with
/// its value as a config file writes it (unquoted).
std::map<std::string, std::string> tunables(const Config& config) {
  const auto number = [](double value) {
    std::ostringstream text;
    text << value;
    return text.str();
  };
  const auto flag = [](bool value) { return std::string(value ? "true" : "false"); };
  return {{"state_dir", config.state_dir},
          {"status_file", config.status_file},
          {"metrics_file", config.metrics_file},
          {"control_socket", config.control_socket},
          {"poll_interval", duration_text(config.poll_interval)},
          {"full_resync_interval", duration_text(config.full_resync_interval)},
          {"provincial.token_file", config.provincial.token_file},
          {"provincial.page_size", std::to_string(config.provincial.page_size)},
          {"provincial.timeout", duration_text(config.provincial.timeout)},
          {"national.max_concurrency", std::to_string(config.national.max_concurrency)},
          {"national.max_requests_per_second", number(config.national.max_requests_per_second)},
          {"national.timeout", duration_text(config.national.timeout)},
          {"retry.initial_backoff", duration_text(config.retry.initial_backoff)},
          {"retry.max_backoff", duration_text(config.retry.max_backoff)},
          {"retry.max_attempts", std::to_string(config.retry.max_attempts)},
          {"safety.withdraw_removed", flag(config.safety.withdraw_removed)},
          {"safety.max_withdraw_fraction", number(config.safety.max_withdraw_fraction)},
          {"safety.max_catalogue_shrink", number(config.safety.max_catalogue_shrink)},
          {"tls.ca_file", config.tls.ca_file},
          {"tls.client_cert", config.tls.client_cert},
          {"tls.client_key", config.tls.client_key},
          {"tls.allow_insecure_http", flag(config.tls.allow_insecure_http)}};
}

TEST_F(ConfigTest, MinimalConfigGetsEveryDefault) {
  const auto file = dir_.write("portal-syncd.toml", Doc().text());
  const Config config = load_config(file);

  EXPECT_EQ(config.source, file);
  EXPECT_EQ(config.province, "H43");
  EXPECT_EQ(config.provincial.base_url, "https://catalogue.example/api/v1");
  EXPECT_EQ(config.national.base_url, "https://portal.example/integration/v1");
  EXPECT_EQ(config.national.token_url, "https://portal.example/oauth2/token");
  EXPECT_EQ(config.national.client_id, "province-h43");
  EXPECT_EQ(config.national.client_secret_file, dir_.path() / "client_secret");
  // The documented defaults, and those of a Config made in code.
  const std::map<std::string, std::string> documented = {
      {"state_dir", "/var/lib/portal-syncd"},
      {"status_file", "/run/portal-syncd/status.json"},
      {"metrics_file", ""},
      {"control_socket", "/run/portal-syncd/control.sock"},
      {"poll_interval", "5m"},
      {"full_resync_interval", "24h"},
      {"provincial.token_file", ""},
      {"provincial.page_size", "200"},
      {"provincial.timeout", "30s"},
      {"national.max_concurrency", "8"},
      {"national.max_requests_per_second", "20"},
      {"national.timeout", "30s"},
      {"retry.initial_backoff", "1s"},
      {"retry.max_backoff", "5m"},
      {"retry.max_attempts", "12"},
      {"safety.withdraw_removed", "false"},
      {"safety.max_withdraw_fraction", "0.05"},
      {"safety.max_catalogue_shrink", "0.1"},
      {"tls.ca_file", ""},
      {"tls.client_cert", ""},
      {"tls.client_key", ""},
      {"tls.allow_insecure_http", "false"}};
  EXPECT_THAT(tunables(config), testing::ContainerEq(documented));
  EXPECT_THAT(tunables(Config{}), testing::ContainerEq(documented));
}

TEST_F(ConfigTest, EveryKeyIsRead) {
  // Each key set to a value that is not its default.
  const std::vector<std::tuple<std::string, std::string, std::string>> values = {
      {"", "state_dir", R"("/srv/psd")"},
      {"", "status_file", R"("/srv/psd/status.json")"},
      {"", "metrics_file", R"("/srv/prom/psd.prom")"},
      {"", "control_socket", R"("/srv/psd/ctl.sock")"},
      {"", "poll_interval", R"("90s")"},
      {"", "full_resync_interval", R"("12h")"},
      {"provincial", "token_file", R"("/srv/secrets/token")"},
      {"provincial", "page_size", "500"},
      {"provincial", "timeout", R"("1500ms")"},
      {"national", "max_concurrency", "256"},
      {"national", "max_requests_per_second", "2.5"},
      {"national", "timeout", R"("1m")"},
      {"retry", "initial_backoff", R"("250ms")"},
      {"retry", "max_backoff", R"("250ms")"},
      {"retry", "max_attempts", "1000"},
      {"safety", "withdraw_removed", "true"},
      {"safety", "max_withdraw_fraction", "0"},
      {"safety", "max_catalogue_shrink", "1"},
      {"tls", "ca_file", R"("/srv/tls/ca.pem")"},
      {"tls", "client_cert", R"("/srv/tls/cert.pem")"},
      {"tls", "client_key", R"("/srv/tls/key.pem")"},
      {"tls", "allow_insecure_http", "true"}};
  Doc doc;
  std::map<std::string, std::string> expected;
  for (const auto& [section, key, value] : values) {
    doc.set(section, key, value);
    std::string dotted = section;
    if (!dotted.empty()) dotted += '.';
    dotted += key;
    const bool quoted = value.size() >= 2 && value.front() == '"' && value.back() == '"';
    expected[dotted] = quoted ? value.substr(1, value.size() - 2) : value;
  }
  ASSERT_EQ(expected.size(), tunables(Config{}).size()) << "a value for every key";
  EXPECT_THAT(tunables(parse_config(doc.text(), kSource)), testing::ContainerEq(expected));
}

TEST_F(ConfigTest, RelativeWrittenPathsAreTakenFromTheConfigFolder) {
  Doc doc;
  doc.set("", "state_dir", R"("state")").set("", "status_file", R"("run/../status.json")");
  const Config config = load_config(dir_.write("portal-syncd.toml", doc.text()));
  EXPECT_EQ(config.state_dir, dir_.path() / "state");
  EXPECT_EQ(config.status_file, dir_.path() / "status.json");
}

// The annotated example shipped with the daemon.
fs::path example_file() { return fs::path(PSD_SOURCE_DIR) / "config" / "portal-syncd.toml"; }

TEST_F(ConfigTest, ExampleFileLoadsWithTheDefaults) {
  const Config config = load_config(example_file());
  EXPECT_EQ(config.province, "H43");
  EXPECT_EQ(config.national.client_secret_file, example_file().parent_path() / "client_secret");
  EXPECT_THAT(tunables(config), testing::ContainerEq(tunables(Config{})));
}

TEST_F(ConfigTest, ExampleFileShowsEveryKey) {
  const toml::table document = toml::parse_file(example_file().string());
  std::set<std::string> keys;
  for (const auto& [key, node] : document) {
    if (const auto* table = node.as_table()) {
      for (const auto& entry : *table) {
        keys.insert(std::string(key) + "." + std::string(entry.first));
      }
    } else {
      keys.insert(std::string(key));
    }
  }
  const std::set<std::string> expected = {"province",
                                          "state_dir",
                                          "status_file",
                                          "metrics_file",
                                          "control_socket",
                                          "poll_interval",
                                          "full_resync_interval",
                                          "provincial.base_url",
                                          "provincial.token_file",
                                          "provincial.page_size",
                                          "provincial.timeout",
                                          "provincial.dialect",
                                          "provincial.mapping_file",
                                          "national.base_url",
                                          "national.token_url",
                                          "national.client_id",
                                          "national.client_secret_file",
                                          "national.max_concurrency",
                                          "national.max_requests_per_second",
                                          "national.timeout",
                                          "retry.initial_backoff",
                                          "retry.max_backoff",
                                          "retry.max_attempts",
                                          "safety.withdraw_removed",
                                          "safety.max_withdraw_fraction",
                                          "safety.max_catalogue_shrink",
                                          "tls.ca_file",
                                          "tls.client_cert",
                                          "tls.client_key",
                                          "tls.allow_insecure_http",
                                          "agencies.remap_file"};
  EXPECT_EQ(keys, expected);
}

TEST_F(ConfigTest, UnknownTopLevelKeyNamesKeyAndLine) {
  Doc doc;
  doc.set("", "pol_interval", R"("5m")");
  const auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "pol_interval");
  EXPECT_EQ(error->line(), doc.line("", "pol_interval"));
  EXPECT_THAT(error->what(), testing::HasSubstr("unknown key (did you mean poll_interval?)"));
}

TEST_F(ConfigTest, UnknownNestedKeyNamesKeyAndLine) {
  Doc doc;
  doc.set("national", "max_concurency", "8");
  const auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.max_concurency");
  const int line = doc.line("national", "max_concurency");
  EXPECT_EQ(error->line(), line);
  EXPECT_EQ(std::string(error->what()),
            std::string(kSource) + ":" + std::to_string(line) +
                ": national.max_concurency: unknown key (did you mean max_concurrency?)");
}

TEST_F(ConfigTest, UnknownTablesAreRefused) {
  for (const std::string extra : {"[metrics]\npath = \"x\"\n", "[national.extra]\nx = 1\n",
                                  "[[retry.rules]]\nx = 1\n", "[safety]\nwithdraw = true\n"}) {
    const std::string text = Doc().text() + extra;
    const auto error = error_of(text);
    ASSERT_TRUE(error) << extra;
    EXPECT_THAT(error->what(), testing::HasSubstr("unknown key")) << extra;
    EXPECT_EQ(error->line(), line_of(text, extra.substr(0, extra.find('\n'))) +
                                 (extra.starts_with("[safety]") ? 1 : 0))
        << extra;
  }
  const auto error = error_of(Doc().text() + "[national.extra]\nx = 1\n");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.extra");
}

TEST_F(ConfigTest, KeyUnderTheWrongTableSaysWhereItBelongs) {
  std::string text = Doc().text() + "control_socket = \"/run/psd.sock\"\n";
  auto error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.control_socket");
  EXPECT_EQ(error->line(), line_of(text, "control_socket"));
  EXPECT_THAT(error->what(), testing::HasSubstr("unknown key (it is a top-level key"));

  text = Doc().text() + "[tls]\npage_size = 50\n";
  error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "tls.page_size");
  EXPECT_THAT(error->what(), testing::HasSubstr("unknown key (it belongs in [provincial])"));
}

TEST_F(ConfigTest, EarliestProblemIsReported) {
  Doc doc;
  doc.set("", "poll_interval", R"("soon")").set("tls", "bogus", "1");
  const auto error = error_of(doc.text());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "poll_interval");
  EXPECT_EQ(error->line(), doc.line("", "poll_interval"));
}

TEST_F(ConfigTest, MissingRequiredKeyIsNamedWithoutLine) {
  const std::pair<std::string, std::string> required[] = {
      {"", "province"},          {"provincial", "base_url"}, {"national", "base_url"},
      {"national", "token_url"}, {"national", "client_id"},  {"national", "client_secret_file"},
  };
  for (const auto& [section, key] : required) {
    const std::string dotted = section.empty() ? key : std::string(section).append(".").append(key);
    const auto error = error_of(Doc().erase(section, key).text());
    ASSERT_TRUE(error) << dotted;
    EXPECT_EQ(error->key(), dotted);
    EXPECT_EQ(error->line(), 0);
    EXPECT_EQ(std::string(error->what()),
              std::string(kSource) + ": " + dotted + ": required key is missing");
  }
}

TEST_F(ConfigTest, MissingSectionReportsItsRequiredKeys) {
  const auto error =
      error_of("province = \"H43\"\n[provincial]\nbase_url = \"https://c.example\"\n");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->key(), "national.base_url");
  EXPECT_EQ(error->line(), 0);
}

TEST_F(ConfigTest, SyntaxErrorNamesFileAndLine) {
  const std::string text = "province = \"H43\"\n[national]\nclient_id = \"x\n";
  const auto error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->line(), 3);
  EXPECT_EQ(error->key(), "");
  EXPECT_THAT(error->what(), testing::StartsWith(std::string(kSource) + ":3: TOML syntax error"));
}

TEST_F(ConfigTest, DuplicateKeyIsASyntaxError) {
  const std::string text = Doc().text() + "[retry]\nmax_attempts = 3\nmax_attempts = 4\n";
  const auto error = error_of(text);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->line(), line_of(text, "max_attempts = 4"));
}

TEST_F(ConfigTest, UnreadableFileIsNamed) {
  const fs::path missing = dir_.path() / "nope.toml";
  try {
    load_config(missing);
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), testing::StartsWith(missing.string() + ": cannot read"));
    EXPECT_EQ(error.line(), 0);
  }
  EXPECT_THROW(load_config(dir_.path()), ConfigError);
}

}  // namespace
}  // namespace psd::config::test
